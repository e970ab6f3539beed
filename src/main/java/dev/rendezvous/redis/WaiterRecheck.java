package dev.rendezvous.redis;

import dev.rendezvous.correlation.model.Correlation;
import dev.rendezvous.correlation.service.LocalWaiters;
import dev.rendezvous.correlation.service.LocalWaiters.Interest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Answers this replica's waiters for changes made on other replicas: one ID when its wake-up
 * arrives, and every waited-on ID in a round, which bounds the delay of a lost wake-up and is how
 * waiters of correlations that expired in Redis learn of it.
 */
final class WaiterRecheck {

    private static final int CONCURRENCY = 16;
    private static final int BATCH = 256;

    private final LocalWaiters waiters;
    private final SharedReads reads;
    private final Clock clock;

    WaiterRecheck(LocalWaiters waiters, SharedReads reads, Clock clock) {
        this.waiters = waiters;
        this.reads = reads;
        this.clock = clock;
    }

    /**
     * Rechecks every ID waited on here, a batch at a time: of the IDs on which only long-polls wait,
     * Redis answers which are no longer pending in the incarnation waited on, and those, with the IDs
     * of live streams, are read in full. The first failure ends the round, since an unreachable store
     * fails every read alike. Emits how many IDs were answered.
     */
    Uni<Integer> round() {
        return Multi.createFrom()
                .iterable(batches(waiters.waitedIds()))
                .onItem()
                .transformToUniAndConcatenate(this::needingRecheck)
                .onItem()
                .<String>disjoint()
                .onItem()
                .transformToUni(this::recheck)
                .merge(CONCURRENCY)
                .filter(Boolean::booleanValue)
                .collect()
                .with(Collectors.counting())
                .map(Long::intValue);
    }

    /** Answers the local waiters on {@code id} if it settled or vanished; true if it did. */
    Uni<Boolean> recheck(String id) {
        if (!waiters.isWaitedOn(id)) {
            // Spares every replica a read of the whole result for correlations nobody waits on here.
            return Uni.createFrom().item(false);
        }
        return reads.findSettled(id, now()).map(current -> answer(id, current));
    }

    private Uni<List<String>> needingRecheck(List<String> ids) {
        List<String> quiet = new ArrayList<>(ids.size());
        List<Instant> incarnations = new ArrayList<>(ids.size());
        List<String> needing = new ArrayList<>();
        for (Interest interest : waiters.interests(ids)) {
            if (interest.quietIncarnation() != null) {
                quiet.add(interest.id());
                incarnations.add(interest.quietIncarnation());
            } else {
                needing.add(interest.id());
            }
        }
        return reads.changed(quiet, incarnations, now()).map(changed -> {
            needing.addAll(changed);
            return needing;
        });
    }

    private boolean answer(String id, Correlation current) {
        if (current == null) {
            waiters.expire(id);
            return true;
        }
        // The ID may have expired and been created again on another replica.
        boolean superseded = waiters.supersede(current) > 0;
        if (current.state().isTerminal()) {
            waiters.wake(current);
            return true;
        }
        waiters.progress(current);
        return superseded;
    }

    private static List<List<String>> batches(List<String> ids) {
        List<List<String>> batches = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += BATCH) {
            batches.add(ids.subList(from, Math.min(ids.size(), from + BATCH)));
        }
        return batches;
    }

    /** Millisecond precision, as the service keeps it. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
