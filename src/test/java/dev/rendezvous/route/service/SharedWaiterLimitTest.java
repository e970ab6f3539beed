package dev.rendezvous.route.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.correlation.model.CallbackToken;
import dev.rendezvous.correlation.model.Change;
import dev.rendezvous.correlation.model.Correlation;
import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.model.RendezvousException;
import dev.rendezvous.correlation.service.WaiterLimit;
import dev.rendezvous.correlation.service.WaiterRegistry;
import dev.rendezvous.route.model.Job;
import dev.rendezvous.support.Wiring;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code max-waiters} bounds long-polls, live streams and pull workers together, not each alone. */
class SharedWaiterLimitTest {

    private static final Duration LONG = Duration.ofMinutes(5);

    private final RendezvousConfig config = Wiring.config("rendezvous.max-waiters", "3");
    private final WaiterLimit limit = new WaiterLimit(config);
    private final WaiterRegistry correlations = new WaiterRegistry(config, limit);
    private final JobWaiters workers = new JobWaiters(limit);
    private final Correlation pending =
            Correlation.pending("order-1", CallbackToken.hash("t"), LONG, Instant.parse("2026-12-07T10:00:00Z"));

    @Test
    void aPullWorkerIsRefusedOnceLongPollsAndStreamsHoldEveryPlace() {
        longPoll().assertNotTerminated();
        stream().assertNotTerminated();
        longPoll().assertNotTerminated();

        assertRefused(pullWorker());
        assertEquals(3, limit.held());
    }

    @Test
    void aLongPollAndAStreamAreRefusedOncePullWorkersHoldEveryPlace() {
        pullWorker().assertNotTerminated();
        pullWorker().assertNotTerminated();
        UniAssertSubscriber<Job> third = pullWorker();

        assertRefused(longPoll());
        stream().assertFailedWith(RendezvousException.class);
        assertEquals(3, workers.waiting());

        third.cancel();
        longPoll().assertNotTerminated();
        assertEquals(1, correlations.waiting());
        assertEquals(3, limit.held());
    }

    @Test
    void aCheckForRoomCountsPullWorkersAndTakesNoPlace() {
        pullWorker().assertNotTerminated();
        pullWorker().assertNotTerminated();
        assertEquals(null, correlations.roomFor("order-1"));

        pullWorker().assertNotTerminated();

        assertEquals(Rejection.TOO_MANY_WAITERS, correlations.roomFor("order-1"));
        assertEquals(3, limit.held());
    }

    private UniAssertSubscriber<Correlation> longPoll() {
        return correlations
                .await(pending, LONG, () -> Uni.createFrom().item(pending))
                .subscribe()
                .withSubscriber(UniAssertSubscriber.create());
    }

    private AssertSubscriber<Change> stream() {
        return correlations
                .watch(pending, LONG, () -> Uni.createFrom().item(pending))
                .subscribe()
                .withSubscriber(AssertSubscriber.create(10));
    }

    /** A worker on a route whose queue stays empty. */
    private UniAssertSubscriber<Job> pullWorker() {
        return workers.take("jobs", LONG, () -> Uni.createFrom().nullItem(), job -> {})
                .subscribe()
                .withSubscriber(UniAssertSubscriber.create());
    }

    private static void assertRefused(UniAssertSubscriber<?> waiter) {
        RendezvousException refused = (RendezvousException)
                waiter.assertFailedWith(RendezvousException.class).getFailure();
        assertEquals(Rejection.TOO_MANY_WAITERS, refused.rejection());
    }
}
