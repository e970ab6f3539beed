package dev.rendezvous.correlation.model;

import java.util.Locale;

/** Where a correlation is in its lifecycle; every state but {@link #PENDING} is terminal. */
public enum State {
    PENDING,
    COMPLETED,
    FAILED,
    CANCELLED;

    public boolean isTerminal() {
        return this != PENDING;
    }

    /** The lower-case name used on the wire. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
