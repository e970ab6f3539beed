package dev.rendezvous.route.service;

import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.service.WaiterRegistry;
import dev.rendezvous.route.model.Job;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Pull workers waiting for a job, by route. Like {@link WaiterRegistry}: one map, one lock, emitters
 * completed after the lock is released, no thread held. A waiter registers before it first tries to
 * claim, so a job enqueued in between still wakes it; each wake-up makes it try again.
 */
@ApplicationScoped
public class JobWaiters {

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, List<Taker>> waiting = new HashMap<>();
    private final int maxWaiters;
    private int count;
    private volatile boolean draining;

    @Inject
    JobWaiters(RendezvousConfig config) {
        this(config.maxWaiters());
    }

    public JobWaiters(int maxWaiters) {
        this.maxWaiters = maxWaiters;
    }

    /**
     * The next job {@code claim} gets within {@code wait}, or null. A job claimed after the worker
     * went (its wait ended or it disconnected) is handed to {@code unclaimed}, to go back in the queue.
     */
    public Uni<Job> take(String route, Duration wait, Supplier<Uni<Job>> claim, Consumer<Job> unclaimed) {
        if (wait.isZero() || draining) {
            return claim.get();
        }
        return Uni.createFrom()
                .<Job>emitter(emitter -> {
                    Taker taker = new Taker(emitter, claim, unclaimed);
                    emitter.onTermination(() -> {
                        taker.gone.set(true);
                        deregister(route, taker);
                    });
                    if (!register(route, taker)) {
                        emitter.fail(Rejection.TOO_MANY_WAITERS.because("Try again shortly."));
                        return;
                    }
                    taker.poke();
                })
                .ifNoItem()
                .after(wait)
                .recoverWithItem((Job) null);
    }

    /** Tells the workers waiting on {@code route} that a job may be there for them. */
    public void wake(String route) {
        List<Taker> onRoute;
        lock.lock();
        try {
            List<Taker> registered = waiting.get(route);
            onRoute = registered == null ? List.of() : List.copyOf(registered);
        } finally {
            lock.unlock();
        }
        onRoute.forEach(Taker::poke);
    }

    /** Lets every waiting worker go with no job (204), because this instance shuts down. */
    public void drain() {
        draining = true;
        List<Taker> released = new ArrayList<>();
        lock.lock();
        try {
            waiting.values().forEach(released::addAll);
            waiting.clear();
            count = 0;
        } finally {
            lock.unlock();
        }
        released.forEach(taker -> taker.emitter.complete(null));
    }

    /** Workers waiting here now. */
    public int waiting() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    private boolean register(String route, Taker taker) {
        lock.lock();
        try {
            if (count >= maxWaiters) {
                return false;
            }
            waiting.computeIfAbsent(route, key -> new ArrayList<>()).add(taker);
            count++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void deregister(String route, Taker taker) {
        lock.lock();
        try {
            List<Taker> onRoute = waiting.get(route);
            if (onRoute != null && onRoute.remove(taker)) {
                count--;
                if (onRoute.isEmpty()) {
                    waiting.remove(route);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** One waiting worker: one claim in flight at a time, and another after it when woken meanwhile. */
    private static final class Taker {

        private final UniEmitter<? super Job> emitter;
        private final Supplier<Uni<Job>> claim;
        private final Consumer<Job> unclaimed;
        private final AtomicBoolean claiming = new AtomicBoolean();
        private final AtomicBoolean again = new AtomicBoolean();
        private final AtomicBoolean gone = new AtomicBoolean();

        Taker(UniEmitter<? super Job> emitter, Supplier<Uni<Job>> claim, Consumer<Job> unclaimed) {
            this.emitter = emitter;
            this.claim = claim;
            this.unclaimed = unclaimed;
        }

        void poke() {
            if (gone.get()) {
                return;
            }
            if (!claiming.compareAndSet(false, true)) {
                again.set(true);
                return;
            }
            claim.get().subscribe().with(this::claimed, failure -> {
                claiming.set(false);
                emitter.fail(failure);
            });
        }

        private void claimed(Job job) {
            if (job != null) {
                if (gone.get()) {
                    unclaimed.accept(job);
                } else {
                    emitter.complete(job);
                }
                return;
            }
            claiming.set(false);
            if (again.getAndSet(false)) {
                poke();
            }
        }
    }
}
