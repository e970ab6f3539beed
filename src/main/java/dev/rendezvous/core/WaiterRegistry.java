package dev.rendezvous.core;

import dev.rendezvous.config.RendezvousConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
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
 */
@ApplicationScoped
public class WaiterRegistry {

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, List<UniEmitter<? super Correlation>>> waiters = new HashMap<>();
    private final int maxWaiters;
    private int waiting;

    @Inject
    WaiterRegistry(RendezvousConfig config) {
        this(config.maxWaiters());
    }

    public WaiterRegistry(int maxWaiters) {
        this.maxWaiters = maxWaiters;
    }

    /**
     * Waits up to {@code wait} for the correlation to leave the pending state. The waiter is
     * registered before {@code read} runs, so an outcome stored in between still wakes it. Emits the
     * settled snapshot, null once the correlation is gone, or what {@code read} finds when the wait ends.
     */
    public Uni<Correlation> await(String id, Duration wait, Supplier<Uni<Correlation>> read) {
        Uni<Correlation> woken = Uni.createFrom().emitter(emitter -> {
            if (!register(id, emitter)) {
                emitter.fail(Rejection.TOO_MANY_WAITERS.because("Try again shortly."));
                return;
            }
            // Completion, timeout and client disconnect all end here.
            emitter.onTermination(() -> deregister(id, emitter));
            read.get()
                    .subscribe()
                    .with(
                            current -> {
                                if (current == null || current.state().isTerminal()) {
                                    emitter.complete(current);
                                }
                            },
                            emitter::fail);
        });
        return woken.ifNoItem().after(wait).recoverWithUni(() -> read.get());
    }

    /** Wakes every waiter on {@code id} with {@code snapshot}; null means the correlation is gone. */
    public void wake(String id, Correlation snapshot) {
        List<UniEmitter<? super Correlation>> woken;
        lock.lock();
        try {
            woken = waiters.remove(id);
            if (woken == null) {
                return;
            }
            waiting -= woken.size();
        } finally {
            lock.unlock();
        }
        woken.forEach(emitter -> emitter.complete(snapshot));
    }

    /** Requests waiting on this instance now. */
    public int waiting() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    public int maxWaiters() {
        return maxWaiters;
    }

    private boolean register(String id, UniEmitter<? super Correlation> emitter) {
        lock.lock();
        try {
            if (waiting >= maxWaiters) {
                return false;
            }
            waiters.computeIfAbsent(id, key -> new ArrayList<>(2)).add(emitter);
            waiting++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void deregister(String id, UniEmitter<? super Correlation> emitter) {
        lock.lock();
        try {
            List<UniEmitter<? super Correlation>> onId = waiters.get(id);
            if (onId != null && onId.remove(emitter)) {
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
