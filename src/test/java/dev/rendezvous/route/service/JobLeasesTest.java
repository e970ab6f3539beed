package dev.rendezvous.route.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rendezvous.correlation.model.Correlation;
import dev.rendezvous.correlation.model.Outcome;
import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.model.RendezvousException;
import dev.rendezvous.correlation.model.State;
import dev.rendezvous.correlation.service.CorrelationListener;
import dev.rendezvous.correlation.service.CorrelationService;
import dev.rendezvous.correlation.service.ExchangeEvents;
import dev.rendezvous.correlation.service.WaiterLimit;
import dev.rendezvous.route.model.Job;
import dev.rendezvous.route.model.JobOutcomes;
import dev.rendezvous.route.store.MemoryJobStore;
import dev.rendezvous.support.MutableClock;
import dev.rendezvous.support.Wiring;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Leases of pull jobs on a fixed clock: re-offer, exhaustion, heartbeats, order. */
class JobLeasesTest {

    private static final String OPEN = null;
    private static final Duration LEASE = new TestRoute(null, null, null, null).lease();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    private final MemoryJobStore store = new MemoryJobStore();
    private final Routes routes = new Routes(Map.of("jobs", TestRoute.pull("key")));
    private final JobWaiters waiters = new JobWaiters(new WaiterLimit(Wiring.config("rendezvous.max-waiters", "10")));
    private JobService jobs;
    private final CorrelationService correlations = new CorrelationService(
            Wiring.newMemoryStore(100, 1_000_000),
            Wiring.registry(10),
            clock,
            Wiring.config("rendezvous.default-ttl", "5M"),
            ExchangeEvents.NONE,
            new CorrelationListener() {
                @Override
                public void settled(Correlation settled) {
                    jobs.settled(settled);
                }

                @Override
                public void beaten(Correlation pending) {
                    jobs.beaten(pending);
                }
            });

    {
        // Pull routes only: nothing is pushed, so no dispatcher is needed.
        jobs = new JobService(
                correlations,
                store,
                routes,
                waiters,
                null,
                new JobOutcomes(correlations, store, RouteEvents.NONE),
                RouteEvents.NONE,
                clock);
    }

    private String submit(String id) {
        byte[] body = id.getBytes(StandardCharsets.UTF_8);
        return jobs.submit("jobs", id, null, OPEN, body, "text/plain", "http://service/")
                .await()
                .indefinitely()
                .id();
    }

    private Job take() {
        return jobs.take("jobs", Duration.ZERO).await().indefinitely();
    }

    @Test
    void handsJobsOutInTheOrderTheyCameEachToOneWorker() {
        submit("a");
        submit("b");
        submit("c");

        assertEquals(List.of("a", "b", "c"), List.of(take().id(), take().id(), take().id()));
        assertNull(take());
    }

    @Test
    void offersAJobAgainWithItsNextAttemptOnceItsLeaseEnds() {
        submit("a");
        Job first = take();
        clock.advance(LEASE.minusMillis(1));
        assertEquals(0, jobs.expireLeases(clock.instant()).await().indefinitely());
        assertNull(take());

        clock.advance(Duration.ofMillis(1));
        assertEquals(1, jobs.expireLeases(clock.instant()).await().indefinitely());

        Job second = take();
        assertEquals(1, first.attempt());
        assertEquals(2, second.attempt());
        assertEquals(clock.instant().plus(LEASE), second.leaseUntil());
    }

    @Test
    void failsTheCorrelationWith502OnceEveryAttemptsLeaseEnded() {
        submit("a");
        take();
        clock.advance(LEASE);
        jobs.expireLeases(clock.instant()).await().indefinitely();
        take();
        clock.advance(LEASE);

        jobs.expireLeases(clock.instant()).await().indefinitely();

        Correlation failed = correlations.status("a", OPEN).await().indefinitely();
        assertEquals(State.FAILED, failed.state());
        Outcome.Failure failure = (Outcome.Failure) failed.outcome();
        assertEquals(502, failure.status());
        assertEquals("No result after 2 leases of 30 s.", failure.detail());
        assertNull(take());
        assertEquals(0, store.held("jobs"));
    }

    @Test
    void aHeartbeatMovesTheLeaseOnFromItsTime() {
        submit("a");
        Job job = take();
        clock.advance(LEASE.minusSeconds(1));

        correlations.heartbeat("a", job.token(), null, null, null).await().indefinitely();
        clock.advance(Duration.ofSeconds(2));
        assertEquals(0, jobs.expireLeases(clock.instant()).await().indefinitely());
        assertNull(take());

        clock.advance(LEASE);
        assertEquals(1, jobs.expireLeases(clock.instant()).await().indefinitely());
        assertEquals(2, take().attempt());
    }

    @Test
    void aResultRemovesTheJob() {
        submit("a");
        Job job = take();

        correlations
                .settle("a", job.token(), new Outcome.Result(new byte[] {1}, null))
                .await()
                .indefinitely();

        assertEquals(0, store.held("jobs"));
        clock.advance(LEASE);
        assertEquals(0, jobs.expireLeases(clock.instant()).await().indefinitely());
    }

    @Test
    void refusesASubmissionOnceTheRouteHoldsMaxQueuedJobs() {
        submit("a");
        submit("b");
        submit("c");

        RendezvousException full = assertThrows(RendezvousException.class, () -> submit("d"));

        assertEquals(Rejection.QUEUE_FULL, full.rejection());
    }
}
