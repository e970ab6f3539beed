package dev.rendezvous.edge;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The deadlines of the guarded connections of one event loop, checked together four times a
 * second: a connection holds no timer of its own, and setting or clearing its deadline (twice a
 * request on a keep-alive connection) allocates nothing. A deadline passes up to 250 ms late, never
 * early. Touched only on its event loop; the guards form its list themselves.
 */
final class DeadlineSweep {

    private static final Logger LOG = Logger.getLogger(DeadlineSweep.class);
    private static final long PERIOD_MILLIS = 250;

    private final ScheduledFuture<?> task;
    private ConnectionGuard first;

    DeadlineSweep(EventExecutor loop) {
        task = loop.scheduleAtFixedRate(this::sweep, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    void add(ConnectionGuard guard) {
        guard.next = first;
        if (first != null) {
            first.previous = guard;
        }
        first = guard;
    }

    void remove(ConnectionGuard guard) {
        if (guard.previous != null) {
            guard.previous.next = guard.next;
        } else if (first == guard) {
            first = guard.next;
        }
        if (guard.next != null) {
            guard.next.previous = guard.previous;
        }
        guard.previous = null;
        guard.next = null;
    }

    void stop() {
        task.cancel(false);
    }

    private void sweep() {
        long now = System.nanoTime();
        for (ConnectionGuard guard = first; guard != null; ) {
            ConnectionGuard next = guard.next;
            try {
                guard.check(now);
            } catch (RuntimeException e) {
                // A failure must not end the sweep: every later deadline on this loop depends on it.
                LOG.errorf(e, "Failed to act on a connection's deadline");
            }
            guard = next;
        }
    }
}
