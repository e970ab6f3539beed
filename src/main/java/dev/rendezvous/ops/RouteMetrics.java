package dev.rendezvous.ops;

import dev.rendezvous.route.service.JobService;
import dev.rendezvous.route.service.JobWaiters;
import dev.rendezvous.route.service.RouteEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

/**
 * Meters of dispatching, labelled by route (names come from the configuration alone) and by a
 * handful of causes: never an ID, a URL or a key.
 */
@Singleton
class RouteMetrics implements RouteEvents {

    private final MeterRegistry registry;
    private final Instance<JobService> jobs;
    private final JobWaiters workers;

    RouteMetrics(MeterRegistry registry, Instance<JobService> jobs, JobWaiters workers) {
        this.registry = registry;
        this.jobs = jobs;
        this.workers = workers;
    }

    void register(@Observes StartupEvent started) {
        Gauge.builder("rendezvous.waiting", workers, JobWaiters::waiting)
                .description("Clients waiting here, by kind")
                .tag("kind", "pull")
                .register(registry);
        JobService service = jobs.get();
        for (String route : service.held().keySet()) {
            Gauge.builder("rendezvous.route.queued", service, s -> s.held().getOrDefault(route, 0L))
                    .description("Jobs a route holds: queued, leased or awaiting a retry")
                    .tag("route", route)
                    .register(registry);
        }
    }

    @Override
    public void attempted(String route) {
        counter("rendezvous.dispatch.attempts", "Jobs dispatched (push) or leased (pull)", route)
                .increment();
    }

    @Override
    public void retried(String route) {
        counter("rendezvous.dispatch.retries", "Push dispatches to be tried again", route)
                .increment();
    }

    @Override
    public void failed(String route, String cause) {
        Counter.builder("rendezvous.dispatch.failures")
                .description("Jobs given up, failing their correlation with 502, by cause")
                .tag("route", route)
                .tag("cause", cause)
                .register(registry)
                .increment();
    }

    @Override
    public void leaseExpired(String route) {
        counter("rendezvous.lease.expiries", "Leases that ran out without a result, failure or heartbeat", route)
                .increment();
    }

    private Counter counter(String name, String description, String route) {
        return Counter.builder(name)
                .description(description)
                .tag("route", route)
                .register(registry);
    }
}
