package dev.rendezvous.correlation.service;

import dev.rendezvous.correlation.model.Correlation;
import java.util.List;

/** Told of what happens to correlations after the store recorded it, so that their jobs follow. */
public interface CorrelationListener {

    /** Tells nothing to anyone. */
    CorrelationListener NONE = new CorrelationListener() {};

    /** A correlation completed, failed or was cancelled. */
    default void settled(Correlation settled) {}

    /** A worker's heartbeat moved a pending correlation's expiry. */
    default void beaten(Correlation pending) {}

    /** Correlations expired and were pruned here. */
    default void expired(List<String> ids) {}
}
