package dev.rendezvous.ops;

import dev.rendezvous.correlation.service.CorrelationService;
import dev.rendezvous.correlation.service.CorrelationStore;
import dev.rendezvous.correlation.service.WaiterLimit;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

/**
 * Health from counters the service keeps anyway, so a probe never waits on a lock holder or I/O.
 * Readiness is DOWN while the store is unreachable, and reports usage against each limit as data: a
 * full instance still serves reads.
 */
@ApplicationScoped
class StoreHealth {

    private final CorrelationService service;
    private final WaiterLimit waiters;

    StoreHealth(CorrelationService service, WaiterLimit waiters) {
        this.service = service;
        this.waiters = waiters;
    }

    @Readiness
    AsyncHealthCheck ready() {
        return () -> Uni.createFrom().item(() -> {
            CorrelationStore.Usage usage = service.usage();
            HealthCheckResponseBuilder check = HealthCheckResponse.named("correlation-store")
                    .status(usage.available() && !service.isDraining())
                    .withData("store", usage.store());
            usage.counts().forEach(check::withData);
            // Long-polls, live streams and pull workers: the limit bounds them together.
            return check.withData("waiters", waiters.held())
                    .withData("maxWaiters", waiters.max())
                    .build();
        });
    }

    @Liveness
    AsyncHealthCheck live() {
        return () -> Uni.createFrom().item(HealthCheckResponse.up("rendezvous"));
    }

    @Startup
    AsyncHealthCheck started() {
        return () -> Uni.createFrom()
                .item(() -> HealthCheckResponse.named("correlation-store")
                        .up()
                        .withData("store", service.usage().store())
                        .build());
    }
}
