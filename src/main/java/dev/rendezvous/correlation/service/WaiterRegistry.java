package dev.rendezvous.correlation.service;

import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.correlation.model.Change;
import dev.rendezvous.correlation.model.Correlation;
import dev.rendezvous.correlation.model.Rejection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The requests waiting on this instance, by correlation ID. One map, one lock: a critical section
 * only reads or changes the map, and emitters are completed after the lock is released, so a
 * waiter's continuation never runs while the lock is held.
 *
 * <p>Long-polls wait for one answer; live streams (Server-Sent Events) also hear of heartbeats, and
 * both count against the same limits.
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

    private volatile boolean draining;

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
        return await(pending, wait, read, read);
    }

    /**
     * As above, with {@code reread} for the read right after registering, which a caller that knows
     * nothing changed since {@code pending} was read may answer without reading.
     */
    public Uni<Correlation> await(
            Correlation pending, Duration wait, Supplier<Uni<Correlation>> reread, Supplier<Uni<Correlation>> read) {
        String id = pending.id();
        Instant incarnation = pending.createdAt();
        Uni<Correlation> woken = Uni.createFrom().emitter(emitter -> {
            Waiter waiter = new Waiter.Reader(emitter, incarnation);
            // Set before registering, so that no termination can slip past deregistration.
            emitter.onTermination(() -> deregister(id, waiter));
            Rejection refused = register(id, waiter);
            if (refused != null) {
                emitter.fail(refused.because("Try again shortly."));
                return;
            }
            if (draining) {
                // Shutting down: answer with the state now rather than hold the request.
                emitter.fail(new Waiter.Released());
                return;
            }
            reread.get()
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
        // The end of the wait is a release too: one recovery step, one read, for both.
        return woken.ifNoItem()
                .after(wait)
                .failWith(Waiter.Released::new)
                .onFailure(Waiter.Released.class)
                .recoverWithUni(() -> read.get().map(current -> sameIncarnation(current, incarnation)));
    }

    /**
     * Streams the changes of {@code current} from its current state on, until it settles or goes;
     * counted like a waiting request. The stream is registered before {@code read} runs, so no change
     * slips between the state it starts from and the first one it is told of.
     */
    public Multi<Change> watch(Correlation current, Duration keepAlive, Supplier<Uni<Correlation>> read) {
        String id = current.id();
        return Multi.createFrom().emitter(emitter -> {
            Waiter.Watcher watcher = new Waiter.Watcher(emitter, current);
            // Comments keep proxies and clients from taking a quiet stream for a dead one.
            ScheduledFuture<?> keepingAlive = Infrastructure.getDefaultWorkerPool()
                    .scheduleAtFixedRate(
                            () -> emitter.emit(Change.KEEP_ALIVE),
                            keepAlive.toMillis(),
                            keepAlive.toMillis(),
                            TimeUnit.MILLISECONDS);
            emitter.onTermination(() -> {
                keepingAlive.cancel(false);
                deregister(id, watcher);
            });
            Rejection refused = register(id, watcher);
            if (refused != null) {
                emitter.fail(refused.because("Try again shortly."));
                return;
            }
            if (current.state().isTerminal()) {
                // Through the watcher, which tells the outcome once, should a wake-up come at the same time.
                watcher.settled(current);
                return;
            }
            emitter.emit(Change.of(current, false));
            if (draining) {
                watcher.release();
                return;
            }
            read.get()
                    .subscribe()
                    .with(
                            now -> {
                                Correlation same = sameIncarnation(now, watcher.incarnation());
                                if (same == null || same.state().isTerminal()) {
                                    watcher.settled(same);
                                } else {
                                    watcher.progressed(same);
                                }
                            },
                            emitter::fail);
        });
    }

    /** Wakes the waiters of {@code settled}; waiters of an older incarnation of its ID learn theirs is gone. */
    public void wake(Correlation settled) {
        for (Waiter waiter : take(settled.id())) {
            waiter.settled(sameIncarnation(settled, waiter.incarnation()));
        }
    }

    /** Tells the live streams of a pending correlation of its progress; long-polls keep waiting. */
    public void progress(Correlation pending) {
        List<Waiter> onId;
        lock.lock();
        try {
            List<Waiter> registered = waiters.get(pending.id());
            onId = registered == null ? List.of() : List.copyOf(registered);
        } finally {
            lock.unlock();
        }
        for (Waiter waiter : onId) {
            if (waiter.incarnation().equals(pending.createdAt())) {
                waiter.progressed(pending);
            }
        }
    }

    /**
     * Answers the waiters of earlier incarnations of a newly created correlation's ID that theirs is
     * gone; it expired without being pruned yet, so no prune will report it. Returns how many.
     */
    public int supersede(Correlation created) {
        List<Waiter> stale = take(created.id(), waiter -> !waiter.incarnation().equals(created.createdAt()));
        stale.forEach(waiter -> waiter.settled(null));
        return stale.size();
    }

    /**
     * Hands {@code settled} to the waiters of its own incarnation only; waiters on other incarnations
     * of its ID keep waiting, since a wake-up that arrives late must not answer a later one. Returns
     * whether any such others remain, as of the same moment.
     */
    public boolean wakeOwn(Correlation settled) {
        List<Waiter> own;
        boolean othersRemain;
        lock.lock();
        try {
            own = take(settled.id(), waiter -> waiter.incarnation().equals(settled.createdAt()));
            othersRemain = waiters.containsKey(settled.id());
        } finally {
            lock.unlock();
        }
        own.forEach(waiter -> waiter.settled(settled));
        return othersRemain;
    }

    /**
     * Lets every request go because this instance shuts down: long-polls are answered with the state
     * as it is (pending: come back later, elsewhere), live streams end cleanly, and new ones are not
     * held from now on.
     */
    public void drain() {
        draining = true;
        List<Waiter> released = new ArrayList<>();
        lock.lock();
        try {
            waiters.values().forEach(released::addAll);
            waiters.clear();
            waiting = 0;
        } finally {
            lock.unlock();
        }
        released.forEach(Waiter::release);
    }

    /** Whether this instance is letting its waiters go to shut down. */
    public boolean isDraining() {
        return draining;
    }

    /** Answers every waiter on {@code id} that its correlation is gone. */
    public void expire(String id) {
        for (Waiter waiter : take(id)) {
            waiter.settled(null);
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

    /**
     * Those of {@code ids} still waited on, sorted for a recheck (see {@link Waited}). A recheck asks
     * for one batch at a time: looking at every waiter of thousands of IDs at once would hold the
     * lock, which every wake-up needs, for milliseconds.
     */
    public Waited sort(List<String> ids) {
        List<String> quiet = new ArrayList<>(ids.size());
        List<Instant> incarnations = new ArrayList<>(ids.size());
        List<String> others = new ArrayList<>();
        lock.lock();
        try {
            for (String id : ids) {
                List<Waiter> onId = waiters.get(id);
                Instant incarnation = onId == null ? null : onlyLongPollsOn(onId);
                if (incarnation != null) {
                    quiet.add(id);
                    incarnations.add(incarnation);
                } else if (onId != null) {
                    others.add(id);
                }
            }
        } finally {
            lock.unlock();
        }
        return new Waited(quiet, incarnations, others);
    }

    /** The incarnation all of {@code onId} wait on, if they are all long-polls; null otherwise. */
    private static Instant onlyLongPollsOn(List<Waiter> onId) {
        Instant incarnation = onId.isEmpty() ? null : onId.get(0).incarnation();
        for (Waiter waiter : onId) {
            if (!(waiter instanceof Waiter.Reader) || !waiter.incarnation().equals(incarnation)) {
                return null;
            }
        }
        return incarnation;
    }

    /**
     * IDs waited on, as {@link #sort} found them. On each of {@code quiet} only long-polls wait, all on
     * the incarnation at the same position of {@code incarnations}: as long as that stays pending,
     * nothing is new to them. On each of {@code others} a live stream waits (it shows every heartbeat),
     * or waiters of several incarnations do.
     */
    public record Waited(List<String> quiet, List<Instant> incarnations, List<String> others) {}

    /** Why one more request could not wait on {@code id} now, or null if it could. */
    public Rejection roomFor(String id) {
        lock.lock();
        try {
            return refusal(id);
        } finally {
            lock.unlock();
        }
    }

    /** Of the requests waiting now, how many are live streams rather than long-polls. */
    public int streaming() {
        lock.lock();
        try {
            int streams = 0;
            for (List<Waiter> onId : waiters.values()) {
                for (Waiter waiter : onId) {
                    streams += waiter instanceof Waiter.Watcher ? 1 : 0;
                }
            }
            return streams;
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

    /** Deregisters and returns the waiters on {@code id} that pass {@code test}. */
    private List<Waiter> take(String id, Predicate<Waiter> test) {
        List<Waiter> taken = new ArrayList<>();
        lock.lock();
        try {
            List<Waiter> onId = waiters.get(id);
            if (onId == null) {
                return taken;
            }
            onId.removeIf(waiter -> test.test(waiter) && taken.add(waiter));
            if (onId.isEmpty()) {
                waiters.remove(id);
            }
            waiting -= taken.size();
        } finally {
            lock.unlock();
        }
        return taken;
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
            Rejection refused = refusal(id);
            if (refused == null) {
                waiters.computeIfAbsent(id, key -> new ArrayList<>(2)).add(waiter);
                waiting++;
            }
            return refused;
        } finally {
            lock.unlock();
        }
    }

    /** Why one more waiter on {@code id} would exceed a limit, or null; called under the lock. */
    private Rejection refusal(String id) {
        if (waiting >= maxWaiters) {
            return Rejection.TOO_MANY_WAITERS;
        }
        List<Waiter> onId = waiters.get(id);
        return onId != null && onId.size() >= maxWaitersPerCorrelation
                ? Rejection.TOO_MANY_WAITERS_ON_CORRELATION
                : null;
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
}
