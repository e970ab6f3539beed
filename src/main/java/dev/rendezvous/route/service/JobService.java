package dev.rendezvous.route.service;

import dev.rendezvous.config.RendezvousConfig.Route;
import dev.rendezvous.config.RendezvousConfig.RouteMode;
import dev.rendezvous.correlation.model.Correlation;
import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.model.RendezvousException;
import dev.rendezvous.correlation.service.CorrelationListener;
import dev.rendezvous.correlation.service.CorrelationService;
import dev.rendezvous.route.model.Job;
import dev.rendezvous.route.model.JobOutcomes;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Submission through routes: a job is a correlation plus its body in its route's queue. Push routes
 * hand it to {@link PushDispatcher}, pull routes to the next worker that asks; leases that run out
 * are offered again until the route's attempts are used up. The job follows its correlation: once
 * that settles, is cancelled or expires, the job is gone.
 */
@ApplicationScoped
public class JobService implements CorrelationListener, JobWakeUps {

    private static final Logger LOG = Logger.getLogger(JobService.class);

    private final CorrelationService correlations;
    private final JobStore jobs;
    private final Routes routes;
    private final JobWaiters waiters;
    private final PushDispatcher push;
    private final JobOutcomes outcomes;
    private final RouteEvents events;
    private final Clock clock;

    public JobService(
            CorrelationService correlations,
            JobStore jobs,
            Routes routes,
            JobWaiters waiters,
            PushDispatcher push,
            JobOutcomes outcomes,
            RouteEvents events,
            Clock clock) {
        this.correlations = correlations;
        this.jobs = jobs;
        this.routes = routes;
        this.waiters = waiters;
        this.push = push;
        this.outcomes = outcomes;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Creates a correlation of {@code owner} for the job and puts the job in its route's queue; URLs
     * handed to the worker start with {@code baseUrl}. A route without {@code ttl} uses the default TTL.
     */
    public Uni<Correlation> submit(
            String name, String id, Duration ttl, String owner, byte[] body, String contentType, String baseUrl) {
        Route route = routes.named(name);
        if (jobs.held(name) >= route.maxQueued()) {
            throw queueFull();
        }
        Duration lifetime = ttl != null ? ttl : route.ttl().orElse(null);
        return correlations
                .create(id, lifetime, owner, CorrelationService.Callbacks.TOKEN)
                .chain(created -> {
                    Job job = Job.of(created.correlation(), name, body, contentType, created.token(), baseUrl);
                    Job queued = route.mode() == RouteMode.PULL ? job.withLease(route.lease()) : job;
                    return jobs.enqueue(queued, route.maxQueued(), now()).chain(accepted -> {
                        if (!accepted) {
                            // Lost a race for the last place: the correlation must not wait for a job that is not
                            // there.
                            return correlations
                                    .cancel(created.correlation().id(), owner)
                                    .onItemOrFailure()
                                    .transformToUni((cancelled, failure) ->
                                            Uni.createFrom().failure(queueFull()));
                        }
                        due(name);
                        return Uni.createFrom().item(created.correlation());
                    });
                });
    }

    /** The pull route's next job within {@code wait}, leased to the asking worker; null if none came. */
    public Uni<Job> take(String name, Duration wait) {
        Route route = routes.named(name);
        return waiters.take(
                name,
                wait,
                () -> claim(name, route),
                // Back at the head of its queue, its attempt not counted: no worker ever saw it.
                job -> jobs.requeue(job, job.incarnation(), true)
                        .subscribe()
                        .with(requeued -> due(name), failure -> LOG.debugf("Job %s waits for its lease", job)));
    }

    private Uni<Job> claim(String name, Route route) {
        Instant now = now();
        return jobs.claim(name, now, now.plus(route.lease())).chain(job -> {
            if (job == null) {
                return Uni.createFrom().nullItem();
            }
            events.attempted(name);
            return outcomes.stillWanted(job)
                    .chain(wanted -> wanted ? Uni.createFrom().item(job) : claim(name, route));
        });
    }

    /** Jobs of {@code name} may be due now (enqueued or offered again here or on another instance). */
    @Override
    public void due(String name) {
        Route route = routes.all().get(name);
        if (route == null) {
            return;
        }
        if (route.mode() == RouteMode.PUSH) {
            push.pump(name);
        } else {
            waiters.wake(name);
        }
    }

    /**
     * Ends every lease that ran out at {@code now}: the job is offered again, or, out of attempts,
     * given up; push routes also dispatch what became due meanwhile. Returns how many leases ended.
     */
    public Uni<Integer> expireLeases(Instant now) {
        return Multi.createFrom()
                .iterable(routes.all().entrySet())
                .onItem()
                .transformToUniAndConcatenate(entry -> expireLeases(entry.getKey(), entry.getValue(), now))
                .collect()
                .with(Collectors.summingInt(Integer::intValue));
    }

    private Uni<Integer> expireLeases(String name, Route route, Instant now) {
        return jobs.expireLeases(name, now, route.maxAttempts()).chain(ended -> {
            List<Uni<Void>> givenUp = ended.stream()
                    .peek(job -> events.leaseExpired(name))
                    .filter(job -> job.attempt() >= route.maxAttempts())
                    .map(job -> outcomes.giveUp(job, "leases", exhausted(job, route)))
                    .toList();
            // Due jobs of a route are looked at on every pass: wake-ups between instances can be lost.
            due(name);
            return givenUp.isEmpty()
                    ? Uni.createFrom().item(ended.size())
                    : Uni.join().all(givenUp).andCollectFailures().replaceWith(ended.size());
        });
    }

    private static String exhausted(Job job, Route route) {
        return route.mode() == RouteMode.PULL
                ? "No result after " + job.attempt() + " leases of "
                        + route.lease().toSeconds() + " s."
                : "No answer after " + job.attempt() + " attempts: the dispatching instance stopped.";
    }

    /** Jobs each route holds now, as last known. */
    public Map<String, Long> held() {
        return routes.all().keySet().stream().collect(Collectors.toMap(name -> name, jobs::held));
    }

    @Override
    public void settled(Correlation settled) {
        forget(settled.id());
    }

    @Override
    public void beaten(Correlation pending) {
        jobs.extendLease(pending.id(), now(), pending.expiresAt())
                .subscribe()
                .with(extended -> {}, failure -> LOG.debugf("Cannot extend the lease of %s", pending.id()));
    }

    @Override
    public void expired(List<String> ids) {
        ids.forEach(this::forget);
    }

    private void forget(String id) {
        if (routes.all().isEmpty()) {
            return; // Spares the store a step for every correlation where no job can exist.
        }
        jobs.remove(id).subscribe().with(removed -> {}, failure -> LOG.debugf("Cannot remove the job of %s", id));
    }

    private static RendezvousException queueFull() {
        return Rejection.QUEUE_FULL.because("Try again once the route's workers catch up.");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
