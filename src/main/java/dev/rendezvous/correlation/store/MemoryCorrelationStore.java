package dev.rendezvous.correlation.store;

import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.correlation.model.CallbackToken;
import dev.rendezvous.correlation.model.Correlation;
import dev.rendezvous.correlation.model.Outcome;
import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.model.RendezvousException;
import dev.rendezvous.correlation.model.State;
import dev.rendezvous.correlation.service.CorrelationStore;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The embedded store of one instance: one map, one lock. An index ordered by expiry holds one entry
 * per correlation, so pruning touches only what expired; it prunes in bounded batches so that no
 * request waits long behind it.
 */
@ApplicationScoped
@Identifier("memory")
public class MemoryCorrelationStore implements CorrelationStore {

    private static final int PRUNE_BATCH = 10_000;

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Correlation> correlations = new HashMap<>();
    private final NavigableSet<Expiry> expiries = new TreeSet<>();
    private final int maxCorrelations;
    private final int maxPerOwner;
    private final Map<String, Integer> perOwner = new HashMap<>();
    private final long maxStoredBytes;
    private final Duration resultRetention;
    /** Written under the lock, read without it, so that health probes never contend. */
    private volatile int count;

    private volatile int pending;

    private volatile long storedBytes;

    public MemoryCorrelationStore(RendezvousConfig config) {
        this.maxCorrelations = config.maxCorrelations();
        this.maxPerOwner = config.maxCorrelationsPerKey();
        this.maxStoredBytes = config.maxStoredBytes().asLongValue();
        this.resultRetention = config.resultRetention();
    }

    @Override
    public Uni<Correlation> create(Correlation correlation, Instant now) {
        return locked(() -> {
            Correlation previous = correlations.get(correlation.id());
            if (previous != null && !previous.isExpiredAt(now)) {
                throw Rejection.ID_TAKEN.exception();
            }
            if (previous != null) {
                remove(previous);
            }
            if (correlations.size() >= maxCorrelations) {
                throw Rejection.TOO_MANY_CORRELATIONS.because("Try again once older correlations expire.");
            }
            if (correlation.owner() != null && perOwner.getOrDefault(correlation.owner(), 0) >= maxPerOwner) {
                throw Rejection.TOO_MANY_FOR_KEY.because("This API key holds " + maxPerOwner + " correlations.");
            }
            put(correlation, null);
            return correlation;
        });
    }

    @Override
    public Uni<Correlation> find(String id, Instant now) {
        return locked(() -> live(id, now));
    }

    @Override
    public Uni<Settlement> settle(String id, CallbackToken.Hash token, Outcome outcome, String messageId, Instant now) {
        return locked(() -> {
            Correlation current = authorized(id, token, messageId != null, now);
            switch (current.state()) {
                case CANCELLED -> throw Rejection.CANCELLED.exception();
                case COMPLETED, FAILED -> {
                    if (outcome.sameAs(current.outcome())
                            || (messageId != null && messageId.equals(current.settledBy()))) {
                        return new Settlement(current, false);
                    }
                    throw Rejection.ALREADY_SETTLED.because(
                            "This correlation is already " + current.state().wireName() + ".");
                }
                default -> {
                    Correlation settled = current.settle(outcome, now, resultRetention, messageId);
                    ensureRoom(settled.storedBytes() - current.storedBytes());
                    return new Settlement(put(settled, current), true);
                }
            }
        });
    }

    @Override
    public Uni<Correlation> heartbeat(
            String id, CallbackToken.Hash token, Duration extension, String detailsJson, boolean signed, Instant now) {
        return locked(() -> {
            Correlation current = authorized(id, token, signed, now);
            if (current.state() == State.CANCELLED) {
                throw Rejection.CANCELLED.exception();
            }
            if (current.state() != State.PENDING) {
                throw Rejection.NOT_PENDING.because(
                        "This correlation is already " + current.state().wireName() + ".");
            }
            Duration moveBy = extension != null ? extension : current.ttl();
            Correlation beaten = current.beat(moveBy, detailsJson, now);
            ensureRoom(beaten.storedBytes() - current.storedBytes());
            return put(beaten, current);
        });
    }

    @Override
    public Uni<Settlement> cancel(String id, String owner, Instant now) {
        return locked(() -> {
            Correlation current = existing(id, now);
            if (!current.isVisibleTo(owner)) {
                throw notFound(id);
            }
            return switch (current.state()) {
                case PENDING -> new Settlement(put(current.cancel(now), current), true);
                case CANCELLED -> new Settlement(current, false);
                default ->
                    throw Rejection.NOT_PENDING.because(
                            "This correlation is already " + current.state().wireName() + ".");
            };
        });
    }

    @Override
    public Uni<Boolean> consume(Correlation completed, String owner, Instant now) {
        return locked(() -> {
            Correlation current = live(completed.id(), now);
            if (current == null
                    || current.state() != State.COMPLETED
                    || !current.isVisibleTo(owner)
                    || !current.createdAt().equals(completed.createdAt())) {
                return false;
            }
            remove(current);
            return true;
        });
    }

    @Override
    public Uni<List<String>> pruneExpired(Instant now) {
        List<String> pruned = new ArrayList<>();
        while (pruneBatch(now, pruned) == PRUNE_BATCH) {
            // Lets waiting requests take the lock between batches.
        }
        return Uni.createFrom().item(pruned);
    }

    @Override
    public Usage usage() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("correlations", (long) count);
        counts.put("pending", (long) pending);
        counts.put("maxCorrelations", (long) maxCorrelations);
        counts.put("storedBytes", storedBytes);
        counts.put("maxStoredBytes", maxStoredBytes);
        return new Usage("memory", true, counts);
    }

    /** Entries of the expiry index, one per correlation; for tests. */
    int expiryIndexSize() {
        lock.lock();
        try {
            return expiries.size();
        } finally {
            lock.unlock();
        }
    }

    private int pruneBatch(Instant now, List<String> pruned) {
        lock.lock();
        try {
            int removed = 0;
            while (removed < PRUNE_BATCH
                    && !expiries.isEmpty()
                    && !expiries.first().at().isAfter(now)) {
                Correlation expired = correlations.get(expiries.first().id());
                remove(expired);
                pruned.add(expired.id());
                removed++;
            }
            return removed;
        } finally {
            lock.unlock();
        }
    }

    private <T> Uni<T> locked(Supplier<T> operation) {
        T result;
        lock.lock();
        try {
            result = operation.get();
        } catch (RuntimeException rejected) {
            return Uni.createFrom().failure(rejected);
        } finally {
            lock.unlock();
        }
        return Uni.createFrom().item(result);
    }

    /** The correlation unless it is unknown or expired (an expired one waits for the prune job). */
    private Correlation live(String id, Instant now) {
        Correlation current = correlations.get(id);
        return current == null || current.isExpiredAt(now) ? null : current;
    }

    private Correlation existing(String id, Instant now) {
        Correlation current = live(id, now);
        if (current == null) {
            throw notFound(id);
        }
        return current;
    }

    private static RendezvousException notFound(String id) {
        return Rejection.NOT_FOUND.exception();
    }

    private Correlation authorized(String id, CallbackToken.Hash token, boolean signed, Instant now) {
        Correlation current = existing(id, now);
        if (!current.tokenHash().matches(token)) {
            throw Rejection.UNAUTHORIZED.exception();
        }
        if (current.requiresSignature() && !signed) {
            throw Rejection.UNSIGNED.exception();
        }
        return current;
    }

    private void ensureRoom(long growth) {
        if (growth > 0 && storedBytes + growth > maxStoredBytes) {
            throw Rejection.STORE_FULL.because("Try again once older results expire.");
        }
    }

    private Correlation put(Correlation next, Correlation previous) {
        correlations.put(next.id(), next);
        if (previous != null) {
            expiries.remove(Expiry.of(previous));
        } else if (next.owner() != null) {
            perOwner.merge(next.owner(), 1, Integer::sum);
        }
        expiries.add(Expiry.of(next));
        storedBytes += next.storedBytes() - (previous == null ? 0 : previous.storedBytes());
        pending += isPending(next) - (previous == null ? 0 : isPending(previous));
        count = correlations.size();
        return next;
    }

    private void remove(Correlation current) {
        correlations.remove(current.id());
        expiries.remove(Expiry.of(current));
        if (current.owner() != null) {
            perOwner.computeIfPresent(current.owner(), (owner, held) -> held > 1 ? held - 1 : null);
        }
        storedBytes -= current.storedBytes();
        pending -= isPending(current);
        count = correlations.size();
    }

    private static int isPending(Correlation correlation) {
        return correlation.state() == State.PENDING ? 1 : 0;
    }

    /** An entry of the expiry index; the ID breaks ties so that entries of the same instant coexist. */
    private record Expiry(Instant at, String id) implements Comparable<Expiry> {

        private static final Comparator<Expiry> ORDER =
                Comparator.comparing(Expiry::at).thenComparing(Expiry::id);

        static Expiry of(Correlation correlation) {
            return new Expiry(correlation.expiresAt(), correlation.id());
        }

        @Override
        public int compareTo(Expiry other) {
            return ORDER.compare(this, other);
        }
    }
}
