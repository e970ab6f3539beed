package dev.rendezvous.correlation.service;

import dev.rendezvous.correlation.model.Change;
import dev.rendezvous.correlation.model.Correlation;
import dev.rendezvous.correlation.model.Heartbeat;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/** A request waiting on one incarnation of a correlation, as {@link WaiterRegistry} keeps it. */
sealed interface Waiter permits Waiter.Reader, Waiter.Watcher {

    Instant incarnation();

    /** Its correlation settled: {@code settled} of this incarnation, null when it is gone. */
    void settled(Correlation settled);

    /** A pending correlation of this incarnation changed, a heartbeat say. */
    default void progressed(Correlation pending) {}

    /** The instance shuts down. */
    void release();

    /** Tells a long-poll to answer with the state as it is now. */
    final class Released extends RuntimeException {
        Released() {
            super("released", null, false, false);
        }
    }

    /** A long-poll: one answer, then done. */
    record Reader(UniEmitter<? super Correlation> emitter, Instant incarnation) implements Waiter {

        @Override
        public void settled(Correlation settled) {
            emitter.complete(settled);
        }

        @Override
        public void release() {
            emitter.fail(new Released());
        }
    }

    /** A live stream: every change, until its correlation settles or goes. */
    final class Watcher implements Waiter {

        private final MultiEmitter<? super Change> emitter;
        private final Instant incarnation;
        private final AtomicBoolean finished = new AtomicBoolean();
        private Instant lastHeartbeat;

        Watcher(MultiEmitter<? super Change> emitter, Correlation current) {
            this.emitter = emitter;
            this.incarnation = current.createdAt();
            this.lastHeartbeat = current.lastHeartbeat() == null
                    ? null
                    : current.lastHeartbeat().at();
        }

        @Override
        public Instant incarnation() {
            return incarnation;
        }

        @Override
        public void settled(Correlation settled) {
            // A wake-up and the stream's own first read may both report the outcome: tell it once.
            if (finished.compareAndSet(false, true)) {
                emitter.emit(settled == null ? Change.expired() : Change.of(settled, false));
                emitter.complete();
            }
        }

        @Override
        public void release() {
            if (finished.compareAndSet(false, true)) {
                emitter.complete();
            }
        }

        @Override
        public void progressed(Correlation pending) {
            Heartbeat beat = pending.lastHeartbeat();
            if (beat == null) {
                return;
            }
            // The replica that stored a heartbeat and the wake-up it publishes may report it at the same
            // time, on two threads: tell each beat once. Only this stream waits for its monitor.
            synchronized (this) {
                if (!beat.at().equals(lastHeartbeat)) {
                    lastHeartbeat = beat.at();
                    emitter.emit(Change.of(pending, true));
                }
            }
        }
    }
}
