package dev.rendezvous.route.store;

import dev.rendezvous.route.model.Job;
import dev.rendezvous.route.service.JobStore;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The jobs of one instance: one map, one lock, and per route two indexes ordered by time, the queue
 * (by when each job became due) and the leases (by when each ends), so that handing out the next job
 * and ending leases touch only what is due.
 */
@ApplicationScoped
@Identifier("memory")
public class MemoryJobStore implements JobStore {

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Job> jobs = new HashMap<>();
    private final Map<String, NavigableSet<Due>> queues = new HashMap<>();
    private final Map<String, NavigableSet<Due>> leases = new HashMap<>();
    private final Map<String, Due> entries = new HashMap<>();
    private final Map<String, Integer> held = new HashMap<>();
    private long sequence;

    @Override
    public Uni<Boolean> enqueue(Job job, int maxQueued, Instant now) {
        return locked(() -> {
            Job stale = jobs.get(job.id());
            if (stale != null) {
                // The ID of an expired correlation was taken again: its old job is void.
                drop(stale);
            }
            if (held.getOrDefault(job.route(), 0) >= maxQueued) {
                return false;
            }
            jobs.put(job.id(), job);
            held.merge(job.route(), 1, Integer::sum);
            index(queues, job, now);
            return true;
        });
    }

    @Override
    public Uni<Job> claim(String route, Instant now, Instant leaseUntil) {
        return locked(() -> {
            NavigableSet<Due> queue = queues.get(route);
            if (queue == null || queue.isEmpty() || queue.first().at().isAfter(now)) {
                return null;
            }
            Job leased = jobs.get(queue.pollFirst().id()).leased(leaseUntil);
            jobs.put(leased.id(), leased);
            index(leases, leased, leaseUntil);
            return leased;
        });
    }

    @Override
    public Uni<Boolean> requeue(Job job, Instant dueAt, boolean refund) {
        return locked(() -> {
            String id = job.id();
            Job current = jobs.get(id);
            if (current == null || !current.isLeased() || current.attempt() != job.attempt()) {
                return false;
            }
            unindex(leases, current);
            Job queued = current.queued(refund);
            jobs.put(id, queued);
            index(queues, queued, dueAt);
            return true;
        });
    }

    @Override
    public Uni<Void> remove(String id) {
        return locked(() -> {
            Job current = jobs.get(id);
            if (current != null) {
                drop(current);
            }
            return null;
        });
    }

    @Override
    public Uni<Job> extendLease(String id, Instant now, Instant deadline) {
        return locked(() -> {
            Job current = jobs.get(id);
            if (current == null || !current.isLeased() || current.lease() == null) {
                return null;
            }
            unindex(leases, current);
            Job extended = current.extended(now.plus(current.lease()), deadline);
            jobs.put(id, extended);
            index(leases, extended, extended.leaseUntil());
            return extended;
        });
    }

    @Override
    public Uni<List<Job>> expireLeases(String route, Instant now, int maxAttempts) {
        return locked(() -> {
            List<Job> ended = new ArrayList<>();
            NavigableSet<Due> leased = leases.get(route);
            while (leased != null && !leased.isEmpty() && !leased.first().at().isAfter(now)) {
                Job current = jobs.get(leased.pollFirst().id());
                entries.remove(current.id());
                ended.add(current);
                if (current.attempt() >= maxAttempts) {
                    drop(current);
                } else {
                    Job queued = current.queued(false);
                    jobs.put(queued.id(), queued);
                    index(queues, queued, current.leaseUntil());
                }
            }
            return ended;
        });
    }

    @Override
    public long held(String route) {
        lock.lock();
        try {
            return held.getOrDefault(route, 0);
        } finally {
            lock.unlock();
        }
    }

    private void drop(Job job) {
        jobs.remove(job.id());
        unindex(job.isLeased() ? leases : queues, job);
        held.computeIfPresent(job.route(), (route, count) -> count > 1 ? count - 1 : null);
    }

    private void index(Map<String, NavigableSet<Due>> indexes, Job job, Instant at) {
        Due due = new Due(at, sequence++, job.id());
        indexes.computeIfAbsent(job.route(), route -> new TreeSet<>()).add(due);
        entries.put(job.id(), due);
    }

    private void unindex(Map<String, NavigableSet<Due>> indexes, Job job) {
        Due due = entries.remove(job.id());
        NavigableSet<Due> index = indexes.get(job.route());
        if (due != null && index != null) {
            index.remove(due);
        }
    }

    private <T> Uni<T> locked(Supplier<T> operation) {
        T result;
        lock.lock();
        try {
            result = operation.get();
        } finally {
            lock.unlock();
        }
        return Uni.createFrom().item(result);
    }

    /** An index entry; the sequence keeps jobs due at the same instant in the order they came. */
    private record Due(Instant at, long sequence, String id) implements Comparable<Due> {

        private static final Comparator<Due> ORDER =
                Comparator.comparing(Due::at).thenComparingLong(Due::sequence);

        @Override
        public int compareTo(Due other) {
            return ORDER.compare(this, other);
        }
    }
}
