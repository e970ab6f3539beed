package dev.rendezvous.ops;

import dev.rendezvous.correlation.service.WaiterRegistry;
import dev.rendezvous.route.service.JobWaiters;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * On shutdown, lets held requests go at once instead of letting the graceful-shutdown timeout cut
 * them: long-polls get the contract's "still pending" answer (202, Retry-After, Location) and retry
 * on another replica, live streams end cleanly, pull workers get 204 and poll again. Readiness is DOWN from the same moment.
 */
@ApplicationScoped
class Draining {

    private static final Logger LOG = Logger.getLogger(Draining.class);

    private final WaiterRegistry waiters;
    private final JobWaiters workers;

    Draining(WaiterRegistry waiters, JobWaiters workers) {
        this.waiters = waiters;
        this.workers = workers;
    }

    /** At the start of the shutdown delay, while the port still answers. */
    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent initiated) {
        drain();
    }

    /** Without a shutdown delay, this is the first word of it. */
    void onShutdown(@Observes ShutdownEvent stopping) {
        drain();
    }

    private void drain() {
        if (!waiters.isDraining()) {
            LOG.infof("Shutting down: answering %d waiting requests", waiters.waiting());
        }
        waiters.drain();
        workers.drain();
    }
}
