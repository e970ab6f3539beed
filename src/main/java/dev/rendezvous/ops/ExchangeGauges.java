package dev.rendezvous.ops;

import dev.rendezvous.correlation.service.CorrelationService;
import dev.rendezvous.correlation.service.WaiterRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Gauges read from counters the service keeps anyway, at scrape time. */
@ApplicationScoped
class ExchangeGauges {

    private final MeterRegistry registry;
    private final CorrelationService service;
    private final WaiterRegistry waiters;

    ExchangeGauges(MeterRegistry registry, CorrelationService service, WaiterRegistry waiters) {
        this.registry = registry;
        this.service = service;
        this.waiters = waiters;
    }

    void register(@Observes StartupEvent started) {
        Gauge.builder("rendezvous.waiting", waiters, registry -> registry.waiting() - registry.streaming())
                .description("Clients waiting here, by kind")
                .tag("kind", "long-poll")
                .register(registry);
        Gauge.builder("rendezvous.waiting", waiters, WaiterRegistry::streaming)
                .description("Clients waiting here, by kind")
                .tag("kind", "sse")
                .register(registry);
        // Counts of this instance's own store; a shared store (Redis) keeps none, so they are absent then.
        if (service.usage().count("pending") >= 0) {
            Gauge.builder(
                            "rendezvous.correlations.pending",
                            service,
                            s -> s.usage().count("pending"))
                    .description("Pending correlations held here")
                    .register(registry);
            Gauge.builder("rendezvous.correlations", service, s -> s.usage().count("correlations"))
                    .description("Correlations held here, in any state")
                    .register(registry);
            Gauge.builder("rendezvous.stored.bytes", service, s -> s.usage().count("storedBytes"))
                    .description("Result, failure and heartbeat bytes held here")
                    .register(registry);
        }
    }
}
