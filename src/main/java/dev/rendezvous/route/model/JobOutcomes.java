package dev.rendezvous.route.model;

import dev.rendezvous.correlation.model.Outcome;
import dev.rendezvous.correlation.model.RendezvousException;
import dev.rendezvous.correlation.model.State;
import dev.rendezvous.correlation.service.CorrelationService;
import dev.rendezvous.route.service.JobStore;
import dev.rendezvous.route.service.RouteEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** The end of a job that no worker will answer: its correlation fails with 502 and a detail naming why. */
@ApplicationScoped
public class JobOutcomes {

    static final int DISPATCH_FAILED = 502;
    static final String TITLE = "Dispatch failed";
    private static final Logger LOG = Logger.getLogger(JobOutcomes.class);

    private final CorrelationService correlations;
    private final JobStore jobs;
    private final RouteEvents events;

    public JobOutcomes(CorrelationService correlations, JobStore jobs, RouteEvents events) {
        this.correlations = correlations;
        this.jobs = jobs;
        this.events = events;
    }

    /**
     * Whether the job's correlation still waits for it: pending, and the same incarnation. A job
     * whose correlation settled, was cancelled or is gone is removed, and never dispatched again.
     */
    public Uni<Boolean> stillWanted(Job job) {
        return correlations.current(job.id()).chain(current -> {
            boolean wanted = current != null
                    && current.state() == State.PENDING
                    && current.createdAt().equals(job.incarnation());
            return wanted ? Uni.createFrom().item(true) : jobs.remove(job.id()).replaceWith(false);
        });
    }

    /** Gives the job up: removes it and fails its correlation, unless that already has an outcome. */
    public Uni<Void> giveUp(Job job, String cause, String detail) {
        LOG.warnf("Giving up %s: %s", job, detail);
        events.failed(job.route(), cause);
        Outcome failure = new Outcome.Failure(DISPATCH_FAILED, TITLE, detail);
        return jobs.remove(job.id())
                .chain(() -> correlations.settle(job.id(), job.token(), failure))
                .replaceWithVoid()
                .onFailure(RendezvousException.class)
                .recoverWithNull();
    }
}
