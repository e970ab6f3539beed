package dev.rendezvous.correlation.service;

import dev.rendezvous.correlation.model.CallbackToken;
import dev.rendezvous.correlation.model.Correlation;
import dev.rendezvous.correlation.model.Outcome;
import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.model.RendezvousException;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The state of record. Every operation is atomic; each fails with a {@link RendezvousException}
 * when the request must be turned down, and an unknown or expired ID reads as a {@code null} item.
 */
public interface CorrelationStore {

    /** Adds a new pending correlation; fails with {@link Rejection#ID_TAKEN} or a capacity rejection. */
    Uni<Correlation> create(Correlation correlation, Instant now);

    /** The correlation, or null when unknown or expired. */
    Uni<Correlation> find(String id, Instant now);

    /**
     * Stores a worker's outcome after checking its token; a byte-identical repeat, or the replay of
     * the signed message that settled it, is reported as such. {@code messageId} is the webhook-id of
     * a callback whose signature was verified, null for an unsigned one.
     */
    Uni<Settlement> settle(String id, CallbackToken.Hash token, Outcome outcome, String messageId, Instant now);

    /** Records a heartbeat and moves the expiry to {@code now + extension} (null: the correlation's own TTL). */
    Uni<Correlation> heartbeat(
            String id, CallbackToken.Hash token, Duration extension, String detailsJson, boolean signed, Instant now);

    /**
     * Cancels a pending correlation of {@code owner}; cancelling a cancelled one again is harmless.
     * Another owner's correlation is not found.
     */
    Uni<Settlement> cancel(String id, String owner, Instant now);

    /**
     * Removes {@code completed}, as a reader of {@code owner} found it, and tells whether this reader
     * removed it: false when another reader took it first, when it is another owner's, or when its ID
     * now stands for a later incarnation.
     */
    Uni<Boolean> consume(Correlation completed, String owner, Instant now);

    /** Removes every correlation expired at {@code now} and returns their IDs. */
    Uni<List<String>> pruneExpired(Instant now);

    /** Cheap counters for health and limits; never blocks. */
    Usage usage();

    /**
     * A mark taken before a read that a waiter relies on, for {@link #mayHaveChangedSince}; only a
     * store that tells this instance of every change can give one (negative: none).
     */
    default long changeMark() {
        return -1;
    }

    /**
     * Whether {@code id} may have changed since {@code mark}, so that a waiter registered meanwhile
     * must read it again; true unless the store knows it did not.
     */
    default boolean mayHaveChangedSince(long mark, String id) {
        return true;
    }

    /** What a settling call did: {@code changed} is false for an acknowledged repeat. */
    record Settlement(Correlation correlation, boolean changed) {}

    /** Whether the store answers, and the counts it keeps (for a shared store, none: they are not this instance's). */
    record Usage(String store, boolean available, Map<String, Long> counts) {

        public static Usage shared(String store, boolean available) {
            return new Usage(store, available, Map.of());
        }

        /** A count the store keeps, or -1 where it keeps none. */
        public long count(String name) {
            return counts.getOrDefault(name, -1L);
        }
    }
}
