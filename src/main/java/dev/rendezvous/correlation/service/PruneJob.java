package dev.rendezvous.correlation.service;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.jboss.logging.Logger;

/** Removes expired correlations every {@code rendezvous.prune-interval} and answers their waiters. */
@ApplicationScoped
class PruneJob {

    private static final Logger LOG = Logger.getLogger(PruneJob.class);

    private final CorrelationService service;
    private final Clock clock;

    PruneJob(CorrelationService service, Clock clock) {
        this.service = service;
        this.clock = clock;
    }

    @Scheduled(
            identity = "prune-expired",
            every = "${rendezvous.prune-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> prune() {
        return pruneNow().replaceWithVoid();
    }

    /** One pass at the clock's current time; returns how many correlations were pruned. */
    Uni<Integer> pruneNow() {
        return service.pruneExpired(clock.instant()).invoke(pruned -> {
            if (pruned > 0) {
                LOG.debugf("Pruned %d expired correlations", pruned);
            }
        });
    }
}
