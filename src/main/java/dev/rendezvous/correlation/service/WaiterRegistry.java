package dev.rendezvous.correlation.service;

import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.correlation.model.Change;
import dev.rendezvous.correlation.model.Correlation;
import dev.rendezvous.correlation.model.Rejection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The requests waiting on this instance, by correlation ID, in one {@link WaitingRoom}: one map,
 * one lock, and emitters completed after the lock is released, so that a waiter's continuation never
 * runs while the lock is held.
 *
 * <p>Long-polls wait for one answer; live streams (Server-Sent Events) also hear of heartbeats, and
 * both count against the same limits.
 *
 * <p>An ID can be created again once its correlation expired, so each waiter remembers which
 * incarnation it waits on (its {@code createdAt}) and is never handed another one's outcome.
 */
@ApplicationScoped
public class WaiterRegistry implements LocalWaiters {

    private final WaitingRoom<Waiter> room;
    private volatile boolean draining;

    public WaiterRegistry(RendezvousConfig config, WaiterLimit limit) {
        this.room = new WaitingRoom<>(limit, config.maxWaitersPerCorrelation());
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
            emitter.onTermination(() -> room.leave(id, waiter));
            Rejection refused = room.enter(id, waiter);
            if (refused != null) {
                emitter.fail(refused.exception());
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
                room.leave(id, watcher);
            });
            Rejection refused = room.enter(id, watcher);
            if (refused != null) {
                emitter.fail(refused.exception());
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
    @Override
    public void wake(Correlation settled) {
        for (Waiter waiter : room.takeAll(settled.id())) {
            waiter.settled(sameIncarnation(settled, waiter.incarnation()));
        }
    }

    /** Tells the live streams of a pending correlation of its progress; long-polls keep waiting. */
    @Override
    public void progress(Correlation pending) {
        for (Waiter waiter : room.on(pending.id())) {
            if (waiter.incarnation().equals(pending.createdAt())) {
                waiter.progressed(pending);
            }
        }
    }

    /**
     * Answers the waiters of earlier incarnations of a newly created correlation's ID that theirs is
     * gone; it expired without being pruned yet, so no prune will report it. Returns how many.
     */
    @Override
    public int supersede(Correlation created) {
        List<Waiter> stale =
                room.take(created.id(), waiter -> !waiter.incarnation().equals(created.createdAt()));
        stale.forEach(waiter -> waiter.settled(null));
        return stale.size();
    }

    /**
     * Hands {@code settled} to the waiters of its own incarnation only; waiters on other incarnations
     * of its ID keep waiting, since a wake-up that arrives late must not answer a later one. Returns
     * whether any such others remain, as of the same moment.
     */
    @Override
    public boolean wakeOwn(Correlation settled) {
        List<Waiter> own =
                room.take(settled.id(), waiter -> waiter.incarnation().equals(settled.createdAt()));
        own.forEach(waiter -> waiter.settled(settled));
        return room.has(settled.id());
    }

    /**
     * Lets every request go because this instance shuts down: long-polls are answered with the state
     * as it is (pending: come back later, elsewhere), live streams end cleanly, and new ones are not
     * held from now on.
     */
    public void drain() {
        draining = true;
        room.takeEveryone().forEach(Waiter::release);
    }

    /** Whether this instance is letting its waiters go to shut down. */
    public boolean isDraining() {
        return draining;
    }

    /** Answers every waiter on {@code id} that its correlation is gone. */
    @Override
    public void expire(String id) {
        for (Waiter waiter : room.takeAll(id)) {
            waiter.settled(null);
        }
    }

    @Override
    public boolean isWaitedOn(String id) {
        return room.has(id);
    }

    @Override
    public List<String> waitedIds() {
        return room.read(byId -> List.copyOf(byId.keySet()));
    }

    @Override
    public List<Interest> interests(List<String> ids) {
        return room.read(byId -> {
            List<Interest> found = new ArrayList<>(ids.size());
            for (String id : ids) {
                List<Waiter> onId = byId.get(id);
                if (onId != null) {
                    found.add(new Interest(id, onlyLongPollsOn(onId)));
                }
            }
            return found;
        });
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

    /** Why one more request could not wait on {@code id} now, or null if it could. */
    public Rejection roomFor(String id) {
        return room.roomFor(id);
    }

    /** Of the requests waiting now, how many are live streams rather than long-polls. */
    public int streaming() {
        return room.read(byId -> {
            int streams = 0;
            for (List<Waiter> onId : byId.values()) {
                for (Waiter waiter : onId) {
                    streams += waiter instanceof Waiter.Watcher ? 1 : 0;
                }
            }
            return streams;
        });
    }

    /** Long-polls and live streams waiting on this instance now. */
    public int waiting() {
        return room.size();
    }

    private static Correlation sameIncarnation(Correlation current, Instant incarnation) {
        return current != null && current.createdAt().equals(incarnation) ? current : null;
    }
}
