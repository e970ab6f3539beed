package dev.rendezvous.route.service;

import dev.rendezvous.config.RendezvousConfig.Route;
import dev.rendezvous.config.RendezvousConfig.RouteMode;
import dev.rendezvous.correlation.service.WebhookSignatures;
import dev.rendezvous.route.model.Job;
import dev.rendezvous.route.model.JobOutcomes;
import dev.rendezvous.route.rest.JobHeaders;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Pushes the jobs of push routes to their workers with the non-blocking Vert.x client. A dispatch is
 * a lease like a pull worker's: should this instance die mid-dispatch, the lease runs out and any
 * instance dispatches the job again. The state of the correlation is checked before every attempt.
 */
@ApplicationScoped
public class PushDispatcher {

    private static final Logger LOG = Logger.getLogger(PushDispatcher.class);
    /** Beyond the request timeout, before another instance may take a dispatch over. */
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(5);
    /** Dispatches in flight at once on one instance, as many as the client keeps connections. */
    static final int MAX_IN_FLIGHT = 64;

    private final Vertx vertx;
    private final HttpClient client;
    private final JobStore jobs;
    private final Routes routes;
    private final JobOutcomes outcomes;
    private final RouteEvents events;
    private final Clock clock;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean starved = new AtomicBoolean();

    PushDispatcher(Vertx vertx, JobStore jobs, Routes routes, JobOutcomes outcomes, RouteEvents events, Clock clock) {
        this.vertx = vertx;
        this.client = vertx.createHttpClient(
                new HttpClientOptions().setMaxPoolSize(MAX_IN_FLIGHT).setKeepAlive(true));
        this.jobs = jobs;
        this.routes = routes;
        this.outcomes = outcomes;
        this.events = events;
        this.clock = clock;
    }

    @PreDestroy
    void close() {
        client.closeAndForget();
    }

    /**
     * Dispatches the jobs of the push route that are due now, each as soon as it is claimed, up to
     * {@link #MAX_IN_FLIGHT} at once on this instance; a dispatch that ends makes room for the next.
     * Claiming only what can be sent at once keeps the leases of the others free for other instances.
     */
    public void pump(String name) {
        if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
            inFlight.decrementAndGet();
            starved.set(true);
            return;
        }
        Route route = routes.named(name);
        Instant now = now();
        jobs.claim(name, now, now.plus(route.requestTimeout()).plus(LEASE_MARGIN))
                .subscribe()
                .with(
                        job -> {
                            if (job == null) {
                                inFlight.decrementAndGet();
                            } else {
                                pump(name);
                                dispatch(job, route);
                            }
                        },
                        failure -> {
                            inFlight.decrementAndGet();
                            LOG.warnf("Cannot claim jobs of route %s: %s", name, failure.toString());
                        });
    }

    private void dispatch(Job job, Route route) {
        outcomes.stillWanted(job)
                .chain(wanted -> wanted
                        ? send(job, route).chain(answer -> judge(job, route, answer))
                        : Uni.createFrom().voidItem())
                .onTermination()
                .invoke(() -> {
                    inFlight.decrementAndGet();
                    // Jobs of any push route may have been turned away while every slot was taken.
                    if (starved.getAndSet(false)) {
                        routes.all().forEach((name, each) -> {
                            if (each.mode() == RouteMode.PUSH) {
                                pump(name);
                            }
                        });
                    } else {
                        pump(job.route());
                    }
                })
                .subscribe()
                .with(done -> {}, failure -> LOG.warnf("Dispatch of %s stopped: %s", job, failure.toString()));
    }

    private Uni<Answer> send(Job job, Route route) {
        events.attempted(job.route());
        long timestamp = clock.instant().getEpochSecond();
        byte[] key = WebhookSignatures.key(route.secret().orElseThrow());
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(route.url().orElseThrow())
                .setTimeout(route.requestTimeout().toMillis())
                .setConnectTimeout(route.requestTimeout().toMillis());
        JobHeaders.of(job).forEach(request::putHeader);
        request.putHeader("webhook-id", job.messageId())
                .putHeader("webhook-timestamp", Long.toString(timestamp))
                .putHeader("webhook-signature", WebhookSignatures.sign(key, job.messageId(), timestamp, job.body()));
        if (job.contentType() != null) {
            request.putHeader("Content-Type", job.contentType());
        }
        return client.request(request)
                .chain(sending -> sending.send(Buffer.buffer(job.body())))
                .chain(response -> response.body().map(ignored -> Answer.of(response)))
                .ifNoItem()
                .after(route.requestTimeout())
                .fail()
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.debugf("Dispatch of %s got no answer: %s", job, failure.toString());
                    return Answer.unanswered(failure);
                });
    }

    private Uni<Void> judge(Job job, Route route, Answer answer) {
        if (answer.status() >= 200 && answer.status() < 300) {
            return jobs.remove(job.id());
        }
        if (!answer.retryable()) {
            return outcomes.giveUp(job, "rejected", "The worker answered " + answer.status() + ".");
        }
        if (job.attempt() >= route.maxAttempts()) {
            return outcomes.giveUp(
                    job, "exhausted", "No answer after " + job.attempt() + " attempts: " + answer.cause() + ".");
        }
        Duration delay = Backoff.delay(route, job.attempt(), answer.retryAfter());
        Instant dueAt = now().plus(delay);
        if (!dueAt.isBefore(job.deadline())) {
            return outcomes.giveUp(
                    job,
                    "expired",
                    "No answer after " + job.attempt() + " attempts before the correlation expires: " + answer.cause()
                            + ".");
        }
        return jobs.requeue(job, dueAt, false)
                .invoke(requeued -> {
                    if (requeued) {
                        events.retried(job.route());
                        vertx.setTimer(Math.max(1, delay.toMillis()), tick -> pump(job.route()));
                    }
                })
                .replaceWithVoid();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** How one dispatch ended: a status (0 for none) and, for a retry, its cause and the worker's Retry-After. */
    record Answer(int status, String cause, Duration retryAfter) {

        static Answer of(HttpClientResponse response) {
            return new Answer(
                    response.statusCode(),
                    "the worker answered " + response.statusCode(),
                    Backoff.retryAfter(response.getHeader("Retry-After")));
        }

        static Answer unanswered(Throwable failure) {
            // The Vert.x client's own timeout says so in its message.
            boolean timeout = failure instanceof TimeoutException
                    || failure instanceof io.smallrye.mutiny.TimeoutException
                    || String.valueOf(failure.getMessage()).contains("timeout");
            return new Answer(0, timeout ? "timeout" : "connection failed", null);
        }

        boolean retryable() {
            return status == 0 || status == 408 || status == 429 || status >= 500;
        }
    }
}
