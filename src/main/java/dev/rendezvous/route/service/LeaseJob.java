package dev.rendezvous.route.service;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Ends the leases of jobs that ran out, on the prune schedule, and looks for due jobs that a lost
 * wake-up left waiting; in a shared store every instance does it, and each lease ends once. A store
 * that does not answer is tried again on the next pass.
 */
@ApplicationScoped
class LeaseJob {

    private static final Logger LOG = Logger.getLogger(LeaseJob.class);

    private final JobService jobs;
    private final Clock clock;

    LeaseJob(JobService jobs, Clock clock) {
        this.jobs = jobs;
        this.clock = clock;
    }

    @Scheduled(
            identity = "expire-leases",
            every = "${rendezvous.prune-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> expire() {
        return jobs.expireLeases(clock.instant())
                .onFailure()
                .invoke(failure -> LOG.warnf("Cannot end expired leases now: %s", failure.toString()))
                .onFailure()
                .recoverWithItem(0)
                .replaceWithVoid();
    }
}
