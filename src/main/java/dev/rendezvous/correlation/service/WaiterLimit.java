package dev.rendezvous.correlation.service;

import dev.rendezvous.config.RendezvousConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one bound, {@code rendezvous.max-waiters}, on every request this instance holds open: long-polls,
 * live streams and pull workers waiting for a job, whichever {@link WaitingRoom} holds them.
 */
@ApplicationScoped
public class WaiterLimit {

    private final int max;
    private final AtomicInteger held = new AtomicInteger();

    public WaiterLimit(RendezvousConfig config) {
        this.max = config.maxWaiters();
    }

    /** Takes a place if one is free. */
    boolean take() {
        int now;
        do {
            now = held.get();
            if (now >= max) {
                return false;
            }
        } while (!held.compareAndSet(now, now + 1));
        return true;
    }

    /** Whether every place is taken now; a check only, which takes none. */
    boolean isFull() {
        return held.get() >= max;
    }

    void release(int places) {
        held.addAndGet(-places);
    }

    /** Requests held on this instance now, of every kind. */
    public int held() {
        return held.get();
    }

    public int max() {
        return max;
    }
}
