package dev.rendezvous.route.service;

import dev.rendezvous.route.model.Job;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;

/**
 * Where jobs wait for a worker, with their attempt state. Each route has a queue in which jobs are
 * handed out in the order they became due, each to one holder at a time; a holder's lease ends by
 * its result, by a retry, or by expiry, after which the job is offered again or given up. Every
 * operation is atomic, so that in a shared store any replica may take any step of any job.
 */
public interface JobStore {

    /** Adds a job to its route's queue; false when the route already holds {@code maxQueued} jobs. */
    Uni<Boolean> enqueue(Job job, int maxQueued, Instant now);

    /** The route's next job due at {@code now}, leased until {@code leaseUntil} for its next attempt; null if none. */
    Uni<Job> claim(String route, Instant now, Instant leaseUntil);

    /**
     * Puts the job, as leased for its attempt, back in its queue, due at {@code dueAt}; with {@code
     * refund} its attempt is not counted. False when that lease is no longer current.
     */
    Uni<Boolean> requeue(Job job, Instant dueAt, boolean refund);

    /** Removes the job, whatever its state. */
    Uni<Void> remove(String id);

    /** Moves a leased job's lease to {@code now} plus its route's lease, and its deadline; null if none is held. */
    Uni<Job> extendLease(String id, Instant now, Instant deadline);

    /**
     * Ends the route's leases that ran out at {@code now}: a job with attempts left goes back in its
     * queue, one without is removed. Returns both kinds, as they were when their lease ran out.
     */
    Uni<List<Job>> expireLeases(String route, Instant now, int maxAttempts);

    /** Jobs the route holds, as last known; never blocks. */
    long held(String route);
}
