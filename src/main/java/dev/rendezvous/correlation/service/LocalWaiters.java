package dev.rendezvous.correlation.service;

import dev.rendezvous.correlation.model.Correlation;
import java.time.Instant;
import java.util.List;

/**
 * The port through which the adapter of a store that replicas share answers the requests waiting on
 * this instance, for changes made elsewhere.
 */
public interface LocalWaiters {

    /** Whether any request waits on {@code id} here. */
    boolean isWaitedOn(String id);

    /** The IDs that requests wait on now. */
    List<String> waitedIds();

    /** Those of {@code ids} still waited on, each with what waits on it. */
    List<Interest> interests(List<String> ids);

    /** Wakes the waiters of {@code settled}; waiters of an older incarnation of its ID learn theirs is gone. */
    void wake(Correlation settled);

    /**
     * Hands {@code settled} to the waiters of its own incarnation only; waiters on other incarnations
     * of its ID keep waiting, since a wake-up that arrives late must not answer a later one. Returns
     * whether any such others remain.
     */
    boolean wakeOwn(Correlation settled);

    /** Tells the live streams of a pending correlation of its progress; long-polls keep waiting. */
    void progress(Correlation pending);

    /** Answers the waiters of earlier incarnations of {@code created}'s ID that theirs is gone; how many. */
    int supersede(Correlation created);

    /** Answers every waiter on {@code id} that its correlation is gone. */
    void expire(String id);

    /**
     * An ID waited on here. {@code quietIncarnation}: when only long-polls wait on it, all on the same
     * incarnation, that incarnation (nothing is new to them while it stays pending); null when a live
     * stream (which shows every heartbeat) or waiters of several incarnations wait.
     */
    record Interest(String id, Instant quietIncarnation) {}
}
