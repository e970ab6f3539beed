package dev.rendezvous.route.service;

import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.service.WaiterLimit;
import dev.rendezvous.correlation.service.WaitingRoom;
import dev.rendezvous.route.model.Job;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Pull workers waiting for a job, by route, in a {@link WaitingRoom} that counts against the same
 * {@code max-waiters} as long-polls and live streams. A waiter registers before it first tries to
 * claim, so a job enqueued in between still wakes it; each wake-up makes it try again.
 */
@ApplicationScoped
public class JobWaiters {

    private final WaitingRoom<Taker> room;
    private volatile boolean draining;

    public JobWaiters(WaiterLimit limit) {
        this.room = new WaitingRoom<>(limit, Integer.MAX_VALUE);
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
                        room.leave(route, taker);
                    });
                    Rejection refused = room.enter(route, taker);
                    if (refused != null) {
                        emitter.fail(refused.exception());
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
        room.on(route).forEach(Taker::poke);
    }

    /** Lets every waiting worker go with no job (204), because this instance shuts down. */
    public void drain() {
        draining = true;
        room.takeEveryone().forEach(taker -> taker.emitter.complete(null));
    }

    /** Workers waiting here now. */
    public int waiting() {
        return room.size();
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
