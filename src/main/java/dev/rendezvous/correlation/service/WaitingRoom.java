package dev.rendezvous.correlation.service;

import dev.rendezvous.correlation.model.Rejection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Requests held open on this instance, by key (a correlation ID, a route): one map, one lock, and one
 * shared {@link WaiterLimit}. A critical section only reads or changes the map; whoever takes waiters
 * out completes their emitters after the lock is released, so no continuation runs under it.
 */
public final class WaitingRoom<W> {

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, List<W>> byKey = new HashMap<>();
    private final WaiterLimit limit;
    private final int maxPerKey;
    /** Written under the lock, read without it, so that health probes never contend. */
    private volatile int size;

    public WaitingRoom(WaiterLimit limit, int maxPerKey) {
        this.limit = limit;
        this.maxPerKey = maxPerKey;
    }

    /** Lets {@code waiter} in, or says why not. */
    public Rejection enter(String key, W waiter) {
        lock.lock();
        try {
            Rejection refused = refusal(key);
            if (refused == null) {
                byKey.computeIfAbsent(key, ignored -> new ArrayList<>(2)).add(waiter);
                size++;
            }
            return refused;
        } finally {
            lock.unlock();
        }
    }

    /** Why one more waiter on {@code key} could not enter now, or null if it could. */
    public Rejection roomFor(String key) {
        if (limit.isFull()) {
            return Rejection.TOO_MANY_WAITERS;
        }
        lock.lock();
        try {
            List<W> onKey = byKey.get(key);
            return onKey != null && onKey.size() >= maxPerKey ? Rejection.TOO_MANY_WAITERS_ON_CORRELATION : null;
        } finally {
            lock.unlock();
        }
    }

    /** Lets {@code waiter} out, if it is still in; its termination calls this, whatever ended it. */
    public void leave(String key, W waiter) {
        lock.lock();
        try {
            List<W> onKey = byKey.get(key);
            if (onKey != null && onKey.remove(waiter)) {
                left(1);
                if (onKey.isEmpty()) {
                    byKey.remove(key);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Takes out and returns every waiter on {@code key}. */
    public List<W> takeAll(String key) {
        lock.lock();
        try {
            List<W> taken = byKey.remove(key);
            if (taken == null) {
                return List.of();
            }
            left(taken.size());
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /** Takes out and returns the waiters on {@code key} that pass {@code test}. */
    public List<W> take(String key, Predicate<W> test) {
        lock.lock();
        try {
            List<W> onKey = byKey.get(key);
            if (onKey == null) {
                return List.of();
            }
            List<W> taken = new ArrayList<>();
            onKey.removeIf(waiter -> test.test(waiter) && taken.add(waiter));
            if (onKey.isEmpty()) {
                byKey.remove(key);
            }
            left(taken.size());
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /** Takes out and returns every waiter, to let them all go. */
    public List<W> takeEveryone() {
        lock.lock();
        try {
            List<W> taken = new ArrayList<>(size);
            byKey.values().forEach(taken::addAll);
            byKey.clear();
            left(taken.size());
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /** The waiters on {@code key} now, left in. */
    public List<W> on(String key) {
        lock.lock();
        try {
            List<W> onKey = byKey.get(key);
            return onKey == null ? List.of() : List.copyOf(onKey);
        } finally {
            lock.unlock();
        }
    }

    /** Whether anyone waits on {@code key} now. */
    public boolean has(String key) {
        lock.lock();
        try {
            return byKey.containsKey(key);
        } finally {
            lock.unlock();
        }
    }

    /** Reads the map under the lock; {@code reader} must be quick and must not change it. */
    public <R> R read(Function<Map<String, List<W>>, R> reader) {
        lock.lock();
        try {
            return reader.apply(byKey);
        } finally {
            lock.unlock();
        }
    }

    /** Waiters in this room now. */
    public int size() {
        return size;
    }

    /** Called under the lock; takes a place of the shared limit when it returns null. */
    private Rejection refusal(String key) {
        if (!limit.take()) {
            return Rejection.TOO_MANY_WAITERS;
        }
        List<W> onKey = byKey.get(key);
        if (onKey != null && onKey.size() >= maxPerKey) {
            limit.release(1);
            return Rejection.TOO_MANY_WAITERS_ON_CORRELATION;
        }
        return null;
    }

    private void left(int count) {
        size -= count;
        limit.release(count);
    }
}
