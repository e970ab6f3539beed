package dev.rendezvous.correlation.service;

import dev.rendezvous.correlation.model.State;
import java.time.Duration;

/** What the exchange reports as it happens, for metrics; every method is cheap and never blocks. */
public interface ExchangeEvents {

    /** Reports nothing. */
    ExchangeEvents NONE = new ExchangeEvents() {};

    /** A correlation completed, failed or was cancelled, {@code after} its creation. */
    default void settled(State outcome, Duration after) {}

    /** Correlations expired and were pruned here. */
    default void expired(int count) {}

    /** A reader consumed a result. */
    default void consumed() {}

    /** A long-poll ended after waiting {@code waited}. */
    default void waited(Duration waited) {}

    /** A request was turned down with this status. */
    default void rejected(int status) {}
}
