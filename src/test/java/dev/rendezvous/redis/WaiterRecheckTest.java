package dev.rendezvous.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rendezvous.correlation.model.CallbackToken;
import dev.rendezvous.correlation.model.Correlation;
import dev.rendezvous.correlation.model.Outcome;
import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.model.RendezvousException;
import dev.rendezvous.correlation.model.State;
import dev.rendezvous.correlation.service.CorrelationService;
import dev.rendezvous.correlation.service.CorrelationService.Callbacks;
import dev.rendezvous.correlation.service.CorrelationStore;
import dev.rendezvous.correlation.service.WaiterRegistry;
import dev.rendezvous.correlation.store.MemoryCorrelationStore;
import dev.rendezvous.support.MutableClock;
import dev.rendezvous.support.Wiring;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A replica answers its waiters for what other replicas did, as Redis mode does, over a shared memory store. */
class WaiterRecheckTest {

    /** API keys off: every client may act on every correlation. */
    private static final String OPEN = null;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    private final WaiterRegistry waiters = Wiring.registry(10);
    /** A store shared with other replicas, as Redis is, and this replica's service on it. */
    private final MemoryCorrelationStore shared = Wiring.newMemoryStore(100, 1_000);

    private final CorrelationService replica = Wiring.service(shared, waiters, clock);
    private final WaiterRecheck recheck = new WaiterRecheck(waiters, readsOf(shared, new AtomicInteger()), clock);

    @Test
    void answersWaitersOfAnIdThatAnotherReplicaCreatedAgainWhenItRechecks() {
        // Another replica creates the ID again: this one hears of it only by rechecking.
        UniAssertSubscriber<Correlation> stale = waiterOfAnIdCreatedAgainElsewhere();

        assertEquals(1, recheck.round().await().indefinitely());

        assertNotFound(stale);
        assertEquals(0, waiters.waiting());
    }

    @Test
    void rechecksLongPollsBeyondOneBatchAndAnswersOnlyThoseThatSettledElsewhere() {
        MemoryCorrelationStore large = Wiring.newMemoryStore(1_000, 1_000);
        WaiterRegistry many = Wiring.registry(1_000);
        CorrelationService replica = Wiring.service(large, many, clock);
        WaiterRecheck recheck = new WaiterRecheck(many, readsOf(large, new AtomicInteger()), clock);
        List<UniAssertSubscriber<Correlation>> waiting = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            tokens.add(replica.create("job-" + i, Duration.ofSeconds(10), OPEN, Callbacks.TOKEN)
                    .await()
                    .indefinitely()
                    .token());
            waiting.add(waitOn(replica, "job-" + i));
        }
        for (int settled : List.of(0, 299, 599)) {
            settleElsewhere(large, "job-" + settled, tokens.get(settled), (byte) 1);
        }

        assertEquals(3, recheck.round().await().indefinitely());

        for (int i = 0; i < waiting.size(); i++) {
            if (i == 0 || i == 299 || i == 599) {
                assertEquals(
                        State.COMPLETED,
                        waiting.get(i).assertCompleted().getItem().state());
            } else {
                waiting.get(i).assertNotTerminated();
            }
        }
        assertEquals(597, many.waiting());
    }

    @Test
    void rechecksInFullOnlyTheCorrelationsThatSettledElsewhere() {
        AtomicInteger fullReads = new AtomicInteger();
        MemoryCorrelationStore shared = Wiring.newMemoryStore(100, 1_000);
        CorrelationService replica = Wiring.service(shared, waiters, clock);
        WaiterRecheck recheck = new WaiterRecheck(waiters, readsOf(shared, fullReads), clock);
        List<UniAssertSubscriber<Correlation>> waiting = new ArrayList<>();
        String settledToken = null;
        for (int i = 0; i < 5; i++) {
            CorrelationService.Created created = replica.create(
                            "job-" + i, Duration.ofSeconds(10), OPEN, Callbacks.TOKEN)
                    .await()
                    .indefinitely();
            settledToken = i == 3 ? created.token() : settledToken;
            waiting.add(replica.result("job-" + i, Duration.ofMinutes(5), false, OPEN)
                    .subscribe()
                    .withSubscriber(UniAssertSubscriber.create()));
        }
        // Settled behind this replica's back, as if on another replica whose wake-up was lost.
        settleElsewhere(shared, "job-3", settledToken, (byte) 3);

        assertEquals(1, recheck.round().await().indefinitely());

        assertEquals(1, fullReads.get());
        assertArrayEquals(
                new byte[] {3},
                ((Outcome.Result) waiting.get(3).assertCompleted().getItem().outcome()).body());
        assertEquals(4, waiters.waiting());
    }

    /** A wake-up names the ID alone, so a late one finds the next incarnation: the earlier one's result was consumed. */
    @Test
    void aLateWakeUpTellsTheConsumedIncarnationsWaitersTheirsIsGoneAndLeavesTheNextOneWaiting() {
        CorrelationService.Created first = replica.create("order-1", Duration.ofSeconds(10), OPEN, Callbacks.TOKEN)
                .await()
                .indefinitely();
        UniAssertSubscriber<Correlation> old = waitOn(replica, "order-1");
        // Elsewhere, before this replica hears of it: settled, consumed, and created again.
        Correlation settled = settleElsewhere("order-1", first.token(), (byte) 1);
        shared.consume(settled, OPEN, clock.instant()).await().indefinitely();
        clock.advance(Duration.ofMillis(1));
        createElsewhere(shared, "order-1");
        UniAssertSubscriber<Correlation> next = waitOn(replica, "order-1");

        recheck.recheck("order-1").await().indefinitely();

        assertNotFound(old);
        next.assertNotTerminated();
        assertEquals(1, waiters.waiting());
    }

    @Test
    void aWakeUpOfTheNextIncarnationStillTellsTheEarlierOnesWaitersTheirsIsGone() {
        UniAssertSubscriber<Correlation> old = waiterOfAnIdCreatedAgainElsewhere();
        settleElsewhere("order-1", "u", (byte) 2);

        assertEquals(true, recheck.recheck("order-1").await().indefinitely());

        assertNotFound(old);
        assertEquals(0, waiters.waiting());
    }

    private static UniAssertSubscriber<Correlation> waitOn(CorrelationService service, String id) {
        return service.result(id, Duration.ofMinutes(5), false, OPEN)
                .subscribe()
                .withSubscriber(UniAssertSubscriber.create());
    }

    /** A request waiting here on "order-1", which then expired and was created again elsewhere. */
    private UniAssertSubscriber<Correlation> waiterOfAnIdCreatedAgainElsewhere() {
        replica.create("order-1", Duration.ofSeconds(10), OPEN, Callbacks.TOKEN)
                .await()
                .indefinitely();
        UniAssertSubscriber<Correlation> waiting = waitOn(replica, "order-1");
        clock.advance(Duration.ofSeconds(10));
        createElsewhere(shared, "order-1");
        return waiting;
    }

    /** Settles {@code id} behind the service's back, as another replica would; answers the settled state. */
    private Correlation settleElsewhere(String id, String token, byte body) {
        return settleElsewhere(shared, id, token, body);
    }

    private Correlation settleElsewhere(CorrelationStore store, String id, String token, byte body) {
        return store.settle(
                        id,
                        CallbackToken.hash(token),
                        new Outcome.Result(new byte[] {body}, null),
                        null,
                        clock.instant())
                .await()
                .indefinitely()
                .correlation();
    }

    /** Creates {@code id} behind the service's back, as another replica would. */
    private void createElsewhere(MemoryCorrelationStore shared, String id) {
        shared.create(
                        Correlation.pending(id, CallbackToken.hash("u"), Duration.ofSeconds(10), clock.instant()),
                        clock.instant())
                .await()
                .indefinitely();
    }

    /**
     * The reads of Redis, over a memory store that "other replicas" change behind this one's back;
     * {@code fullReads} counts the reads of whole correlations.
     */
    private static SharedReads readsOf(CorrelationStore store, AtomicInteger fullReads) {
        return new SharedReads() {
            @Override
            public Uni<Correlation> findSettled(String id, Instant now) {
                fullReads.incrementAndGet();
                return store.find(id, now);
            }

            @Override
            public Uni<List<String>> changed(List<String> ids, List<Instant> incarnations, Instant now) {
                List<String> changed = new ArrayList<>();
                for (int i = 0; i < ids.size(); i++) {
                    Correlation found = store.find(ids.get(i), now).await().indefinitely();
                    if (found == null
                            || found.state() != State.PENDING
                            || !found.createdAt().equals(incarnations.get(i))) {
                        changed.add(ids.get(i));
                    }
                }
                return Uni.createFrom().item(changed);
            }
        };
    }

    private static void assertNotFound(Uni<Correlation> answer) {
        assertNotFound(answer.subscribe().withSubscriber(UniAssertSubscriber.create()));
    }

    private static void assertNotFound(UniAssertSubscriber<Correlation> subscriber) {
        RendezvousException refused = (RendezvousException)
                subscriber.assertFailedWith(RendezvousException.class).getFailure();
        assertEquals(Rejection.NOT_FOUND, refused.rejection());
    }
}
