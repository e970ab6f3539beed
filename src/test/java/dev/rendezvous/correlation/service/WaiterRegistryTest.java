package dev.rendezvous.correlation.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.rendezvous.correlation.model.CallbackToken;
import dev.rendezvous.correlation.model.Change;
import dev.rendezvous.correlation.model.Correlation;
import dev.rendezvous.correlation.model.Outcome;
import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.model.RendezvousException;
import dev.rendezvous.support.Wiring;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WaiterRegistryTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static final Duration LONG = Duration.ofMinutes(5);

    private final WaiterRegistry registry = Wiring.registry(2);
    private final Correlation pending = Correlation.pending("order-1", CallbackToken.hash("t"), LONG, NOW);

    @Test
    void wakesEveryWaiterWithTheSettledSnapshot() {
        UniAssertSubscriber<Correlation> first = await(pending);
        UniAssertSubscriber<Correlation> second = await(pending);
        assertEquals(2, registry.waiting());

        Correlation done = completed();
        registry.wake(done);

        assertSame(done, first.assertCompleted().getItem());
        assertSame(done, second.assertCompleted().getItem());
        assertEquals(0, registry.waiting());
    }

    @Test
    void answersAtOnceWhenTheReadAfterRegisteringFindsAnOutcome() {
        Correlation done = completed();

        UniAssertSubscriber<Correlation> waiter = await(done);

        assertSame(done, waiter.assertCompleted().getItem());
        assertEquals(0, registry.waiting());
    }

    @Test
    void answersNullWhenTheCorrelationIsGone() {
        UniAssertSubscriber<Correlation> waiter = await(pending);

        registry.expire("order-1");

        assertNull(waiter.assertCompleted().getItem());
        assertEquals(0, registry.waiting());
    }

    @Test
    void forgetsAWaiterWhoseClientGoesAway() {
        UniAssertSubscriber<Correlation> waiter = await(pending);
        assertEquals(1, registry.waiting());

        waiter.cancel();

        assertEquals(0, registry.waiting());
        registry.wake(completed());
        waiter.assertNotTerminated();
    }

    @Test
    void readsTheStateAgainWhenTheWaitEnds() {
        AtomicReference<Correlation> state = new AtomicReference<>(pending);
        UniAssertSubscriber<Correlation> waiter = registry.await(
                        pending, Duration.ofMillis(50), () -> Uni.createFrom().item(state.get()))
                .subscribe()
                .withSubscriber(UniAssertSubscriber.create());

        assertSame(pending, waiter.awaitItem(Duration.ofSeconds(5)).getItem());
        assertEquals(0, registry.waiting());
    }

    @Test
    void refusesWaitersBeyondTheLimitWithoutDisturbingOthers() {
        UniAssertSubscriber<Correlation> first = await(pending);
        await(pending);

        UniAssertSubscriber<Correlation> third = await(pending);

        Throwable refused = third.assertFailedWith(RendezvousException.class).getFailure();
        assertEquals(Rejection.TOO_MANY_WAITERS, ((RendezvousException) refused).rejection());
        assertEquals(2, registry.waiting());
        first.assertNotTerminated();
    }

    @Test
    void refusesWaitersBeyondThePerCorrelationLimitWhileOthersMayStillWait() {
        WaiterRegistry perCorrelation = Wiring.registry(10, 1);
        Correlation other = Correlation.pending("order-2", CallbackToken.hash("t"), LONG, NOW);
        perCorrelation
                .await(pending, LONG, () -> Uni.createFrom().item(pending))
                .subscribe()
                .withSubscriber(UniAssertSubscriber.create());

        UniAssertSubscriber<Correlation> second = perCorrelation
                .await(pending, LONG, () -> Uni.createFrom().item(pending))
                .subscribe()
                .withSubscriber(UniAssertSubscriber.create());
        UniAssertSubscriber<Correlation> elsewhere = perCorrelation
                .await(other, LONG, () -> Uni.createFrom().item(other))
                .subscribe()
                .withSubscriber(UniAssertSubscriber.create());

        RendezvousException refused = (RendezvousException)
                second.assertFailedWith(RendezvousException.class).getFailure();
        assertEquals(Rejection.TOO_MANY_WAITERS_ON_CORRELATION, refused.rejection());
        elsewhere.assertNotTerminated();
        assertEquals(2, perCorrelation.waiting());
    }

    @Test
    void wakingAnIdNobodyWaitsOnChangesNothing() {
        await(pending);

        registry.wake(Correlation.pending("another", CallbackToken.hash("t"), LONG, NOW));

        assertEquals(1, registry.waiting());
    }

    @Test
    void neverHandsAWaiterTheOutcomeOfALaterCorrelationWithTheSameId() {
        UniAssertSubscriber<Correlation> stale = await(pending);
        Correlation recreated = Correlation.pending("order-1", CallbackToken.hash("u"), LONG, NOW.plus(LONG));

        registry.wake(recreated.settle(new Outcome.Result(new byte[] {2}, null), NOW.plus(LONG), LONG, null));

        assertNull(stale.assertCompleted().getItem());
    }

    @Test
    void answersWaitersOfAnExpiredIncarnationWhenTheIdIsCreatedAgain() {
        UniAssertSubscriber<Correlation> stale = await(pending);
        Correlation recreated = Correlation.pending("order-1", CallbackToken.hash("u"), LONG, NOW.plus(LONG));
        UniAssertSubscriber<Correlation> fresh = registry.await(
                        recreated, LONG, () -> Uni.createFrom().item(recreated))
                .subscribe()
                .withSubscriber(UniAssertSubscriber.create());

        registry.supersede(recreated);

        assertNull(stale.assertCompleted().getItem());
        fresh.assertNotTerminated();
        assertEquals(1, registry.waiting());
    }

    @Test
    void answersNullWhenTheReadAfterTheWaitFindsAnotherIncarnation() {
        Correlation recreated = Correlation.pending("order-1", CallbackToken.hash("u"), LONG, NOW.plus(LONG));
        AtomicReference<Correlation> state = new AtomicReference<>(pending);
        UniAssertSubscriber<Correlation> waiter = registry.await(
                        pending, Duration.ofMillis(50), () -> Uni.createFrom().item(state.get()))
                .subscribe()
                .withSubscriber(UniAssertSubscriber.create());

        state.set(recreated);

        assertNull(waiter.awaitItem(Duration.ofSeconds(5)).getItem());
    }

    @Test
    void tellsAStreamOfEachHeartbeatOnceWhenTwoThreadsReportItTogether() throws Exception {
        AtomicReference<MultiEmitter<? super Change>> emitter = new AtomicReference<>();
        AssertSubscriber<Change> stream = Multi.createFrom()
                .<Change>emitter(emitter::set)
                .subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        Waiter.Watcher watcher = new Waiter.Watcher(emitter.get(), pending);
        int beats = 20_000;
        Correlation[] beaten = new Correlation[beats + 1];
        for (int beat = 1; beat <= beats; beat++) {
            beaten[beat] = pending.beat(LONG, null, NOW.plusMillis(beat));
        }
        // As the replica that stored a heartbeat and the wake-up it published would: both at once.
        AtomicInteger arrived = new AtomicInteger();
        Callable<Void> reporter = () -> {
            for (int beat = 1; beat <= beats; beat++) {
                arrived.incrementAndGet();
                while (arrived.get() < 2 * beat) {
                    // Yields rather than spins: on two busy cores a spinning thread can starve the other.
                    Thread.yield();
                }
                watcher.progressed(beaten[beat]);
            }
            return null;
        };
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<Void>> reporters = threads.invokeAll(List.of(reporter, reporter), 60, TimeUnit.SECONDS);
            for (Future<Void> done : reporters) {
                done.get();
            }
        } finally {
            threads.shutdownNow();
        }

        List<Change> heard = stream.getItems();
        assertEquals(beats, heard.size(), "each heartbeat once");
        for (int beat = 1; beat <= beats; beat++) {
            assertEquals(
                    NOW.plusMillis(beat),
                    heard.get(beat - 1).correlation().lastHeartbeat().at());
        }
    }

    @Test
    void tellsWhichIdsOnlyLongPollsOfOneIncarnationWaitOn() {
        WaiterRegistry many = Wiring.registry(10);
        Correlation quiet = Correlation.pending("quiet", CallbackToken.hash("t"), LONG, NOW);
        Correlation streamed = Correlation.pending("streamed", CallbackToken.hash("t"), LONG, NOW);
        Correlation next = Correlation.pending("order-1", CallbackToken.hash("u"), LONG, NOW.plus(LONG));
        List.of(quiet, quiet, streamed, pending, next)
                .forEach(current -> many.await(
                                current, LONG, () -> Uni.createFrom().item(current))
                        .subscribe()
                        .withSubscriber(UniAssertSubscriber.create()));
        many.watch(streamed, LONG, () -> Uni.createFrom().item(streamed))
                .subscribe()
                .withSubscriber(AssertSubscriber.create(10));

        List<LocalWaiters.Interest> interests = many.interests(List.of("quiet", "streamed", "order-1", "nobody's"));

        assertEquals(
                List.of(
                        new LocalWaiters.Interest("quiet", NOW),
                        new LocalWaiters.Interest("streamed", null),
                        new LocalWaiters.Interest("order-1", null)),
                interests,
                "quiet long-polls; a stream; two incarnations; nobody");
        assertEquals(6, many.waiting());
    }

    private UniAssertSubscriber<Correlation> await(Correlation current) {
        return registry.await(pending, LONG, () -> Uni.createFrom().item(current))
                .subscribe()
                .withSubscriber(UniAssertSubscriber.create());
    }

    private Correlation completed() {
        return pending.settle(new Outcome.Result(new byte[] {1}, "text/plain"), NOW.plusSeconds(1), LONG, null);
    }
}
