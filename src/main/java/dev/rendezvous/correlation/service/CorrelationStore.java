package dev.rendezvous.correlation.service;

import dev.rendezvous.correlation.model.CallbackToken;
import dev.rendezvous.correlation.model.Correlation;
import dev.rendezvous.correlation.model.Outcome;
import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.model.RendezvousException;
import dev.rendezvous.correlation.model.State;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
     * The correlation as waiters registered before its outcome see it: like {@link #find}, but a
     * result consumed a moment ago by another reader still reads as completed.
     */
    default Uni<Correlation> findSettled(String id, Instant now) {
        return find(id, now);
    }

    /**
     * Of {@code ids}, those no longer pending in the incarnation created at the same position of
     * {@code incarnations}: settled, gone, or created again. Used to recheck long-polls in bulk, so a
     * store answers it cheaply where it can (no bodies, nothing about those still pending).
     */
    default Uni<List<String>> changed(List<String> ids, List<Instant> incarnations, Instant now) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Uni<Boolean>> reads = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            Instant incarnation = incarnations.get(i);
            reads.add(find(ids.get(i), now)
                    .map(found -> found == null
                            || found.state() != State.PENDING
                            || !found.createdAt().equals(incarnation)));
        }
        return Uni.join().all(reads).andFailFast().map(flags -> {
            List<String> changed = new ArrayList<>();
            for (int i = 0; i < flags.size(); i++) {
                if (flags.get(i)) {
                    changed.add(ids.get(i));
                }
            }
            return changed;
        });
    }

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
     * Whether other instances change the same state: then a waiter may miss a wake-up that travelled
     * between instances, and waiters are rechecked from time to time.
     */
    default boolean isShared() {
        return false;
    }

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
