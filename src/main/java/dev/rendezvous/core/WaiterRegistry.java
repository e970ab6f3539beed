package dev.rendezvous.core;

import dev.rendezvous.config.RendezvousConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The requests waiting on this instance, by correlation ID. One map, one lock: a critical section
 * only reads or changes the map, and emitters are completed after the lock is released, so a
 * waiter's continuation never runs while the lock is held.
 *
 * <p>An ID can be created again once its correlation expired, so each waiter remembers which
 * incarnation it waits on (its {@code createdAt}) and is never handed another one's outcome.
 */
@ApplicationScoped
public class WaiterRegistry {

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, List<Waiter>> waiters = new HashMap<>();
    private final int maxWaiters;
    private final int maxWaitersPerCorrelation;
    /** Written under the lock, read without it, so that health probes never contend. */
    private volatile int waiting;

    @Inject
    WaiterRegistry(RendezvousConfig config) {
        this(config.maxWaiters(), config.maxWaitersPerCorrelation());
    }

    public WaiterRegistry(int maxWaiters) {
        this(maxWaiters, maxWaiters);
    }

    public WaiterRegistry(int maxWaiters, int maxWaitersPerCorrelation) {
        this.maxWaiters = maxWaiters;
        this.maxWaitersPerCorrelation = maxWaitersPerCorrelation;
    }

    /**
     * Waits up to {@code wait} for {@code pending} to leave the pending state. The waiter is
     * registered before {@code read} runs, so an outcome stored in between still wakes it. Emits the
     * settled snapshot, null once the correlation is gone, or what {@code read} finds when the wait ends.
     */
    public Uni<Correlation> await(Correlation pending, Duration wait, Supplier<Uni<Correlation>> read) {
        String id = pending.id();
        Instant incarnation = pending.createdAt();
        Uni<Correlation> woken = Uni.createFrom().emitter(emitter -> {
            Waiter waiter = new Waiter(emitter, incarnation);
            // Set before registering, so that no termination can slip past deregistration.
            emitter.onTermination(() -> deregister(id, waiter));
            Rejection refused = register(id, waiter);
            if (refused != null) {
                emitter.fail(refused.because("Try again shortly."));
                return;
            }
            read.get()
                    .subscribe()
                    .with(
                            current -> {
                                if (current == null || !current.createdAt().equals(incarnation)) {
                                    emitter.complete(null);
                                } else if (current.state().isTerminal()) {
                                    emitter.complete(current);
                                }
                            },
                            emitter::fail);
        });
        return woken.ifNoItem()
                .after(wait)
                .recoverWithUni(() -> read.get().map(current -> sameIncarnation(current, incarnation)));
    }

    /** Wakes the waiters of {@code settled}; waiters of an older incarnation of its ID learn theirs is gone. */
    public void wake(Correlation settled) {
        for (Waiter waiter : take(settled.id())) {
            waiter.emitter().complete(sameIncarnation(settled, waiter.incarnation()));
        }
    }

    /**
     * Answers the waiters of earlier incarnations of a newly created correlation's ID that theirs is
     * gone; it expired without being pruned yet, so no prune will report it. Returns how many.
     */
    public int supersede(Correlation created) {
        List<Waiter> stale = new ArrayList<>();
        lock.lock();
        try {
            List<Waiter> onId = waiters.get(created.id());
            if (onId == null) {
                return 0;
            }
            onId.removeIf(waiter -> !waiter.incarnation().equals(created.createdAt()) && stale.add(waiter));
            if (onId.isEmpty()) {
                waiters.remove(created.id());
            }
            waiting -= stale.size();
        } finally {
            lock.unlock();
        }
        stale.forEach(waiter -> waiter.emitter().complete(null));
        return stale.size();
    }

    /** Answers every waiter on {@code id} that its correlation is gone. */
    public void expire(String id) {
        for (Waiter waiter : take(id)) {
            waiter.emitter().complete(null);
        }
    }

    /** Whether any request waits on {@code id} here. */
    public boolean isWaitedOn(String id) {
        lock.lock();
        try {
            return waiters.containsKey(id);
        } finally {
            lock.unlock();
        }
    }

    /** The IDs that requests wait on now. */
    public List<String> waitedIds() {
        lock.lock();
        try {
            return List.copyOf(waiters.keySet());
        } finally {
            lock.unlock();
        }
    }

    /** Requests waiting on this instance now. */
    public int waiting() {
        return waiting;
    }

    public int maxWaiters() {
        return maxWaiters;
    }

    private static Correlation sameIncarnation(Correlation current, Instant incarnation) {
        return current != null && current.createdAt().equals(incarnation) ? current : null;
    }

    private List<Waiter> take(String id) {
        lock.lock();
        try {
            List<Waiter> taken = waiters.remove(id);
            if (taken == null) {
                return List.of();
            }
            waiting -= taken.size();
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /** Registers the waiter, or says why not. */
    private Rejection register(String id, Waiter waiter) {
        lock.lock();
        try {
            if (waiting >= maxWaiters) {
                return Rejection.TOO_MANY_WAITERS;
            }
            List<Waiter> onId = waiters.computeIfAbsent(id, key -> new ArrayList<>(2));
            if (onId.size() >= maxWaitersPerCorrelation) {
                return Rejection.TOO_MANY_WAITERS_ON_CORRELATION;
            }
            onId.add(waiter);
            waiting++;
            return null;
        } finally {
            lock.unlock();
        }
    }

    private void deregister(String id, Waiter waiter) {
        lock.lock();
        try {
            List<Waiter> onId = waiters.get(id);
            if (onId != null && onId.remove(waiter)) {
                waiting--;
                if (onId.isEmpty()) {
                    waiters.remove(id);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** A waiting request and the incarnation of the correlation it waits on. */
    private record Waiter(UniEmitter<? super Correlation> emitter, Instant incarnation) {}
}
