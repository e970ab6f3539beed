package dev.rendezvous.correlation.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rendezvous.correlation.model.CallbackToken;
import dev.rendezvous.correlation.model.Correlation;
import dev.rendezvous.correlation.model.Outcome;
import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.model.RendezvousException;
import dev.rendezvous.correlation.model.State;
import dev.rendezvous.correlation.store.MemoryCorrelationStore;
import dev.rendezvous.support.MutableClock;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CorrelationServiceTest {

    /** API keys off: every client may act on every correlation. */
    private static final String OPEN = null;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    private final WaiterRegistry waiters = new WaiterRegistry(10);
    private final CorrelationService service = new CorrelationService(
            new MemoryCorrelationStore(100, 1_000, Duration.ofMinutes(1)), waiters, clock, Duration.ofSeconds(30));
    /** A store shared with other replicas, as Redis is, and this replica's service on it. */
    private final MemoryCorrelationStore shared = sharedStore();

    private final CorrelationService replica = new CorrelationService(shared, waiters, clock, Duration.ofSeconds(30));

    @Test
    void answersTheWaitersOfAnExpiredCorrelationNotFoundWhenItsIdIsCreatedAgain() {
        service.create("order-1", Duration.ofSeconds(10), OPEN).await().indefinitely();
        UniAssertSubscriber<Correlation> stale = waitOn(service, "order-1");
        clock.advance(Duration.ofSeconds(10));

        CorrelationService.Created again =
                service.create("order-1", Duration.ofSeconds(10), OPEN).await().indefinitely();
        service.settle("order-1", again.token(), new Outcome.Result(new byte[] {7}, null))
                .await()
                .indefinitely();

        assertNotFound(stale);
        assertEquals(0, waiters.waiting());
    }

    @Test
    void handsTheNewIncarnationsResultOnlyToItsOwnWaiters() {
        service.create("order-1", Duration.ofSeconds(10), OPEN).await().indefinitely();
        clock.advance(Duration.ofSeconds(10));
        CorrelationService.Created again =
                service.create("order-1", Duration.ofSeconds(10), OPEN).await().indefinitely();
        UniAssertSubscriber<Correlation> fresh = waitOn(service, "order-1");

        service.settle("order-1", again.token(), new Outcome.Result(new byte[] {7}, null))
                .await()
                .indefinitely();

        Correlation delivered = fresh.assertCompleted().getItem();
        assertArrayEquals(new byte[] {7}, ((Outcome.Result) delivered.outcome()).body());
    }

    @Test
    void showsACorrelationOnlyToItsOwnerAndLetsNoOtherWaitOnIt() {
        service.create("private", Duration.ofSeconds(10), "owner-a").await().indefinitely();

        assertNotFound(service.status("private", "owner-b"));
        assertNotFound(service.status("private", OPEN));
        assertNotFound(service.result("private", Duration.ofMinutes(5), false, "owner-b"));
        assertNotFound(service.cancel("private", "owner-b"));

        assertEquals(0, waiters.waiting());
        assertEquals(
                State.PENDING,
                service.status("private", "owner-a").await().indefinitely().state());
    }

    @Test
    void answersWaitersOfAnIdThatAnotherReplicaCreatedAgainWhenItRechecks() {
        // Another replica creates the ID again: this one hears of it only by rechecking.
        UniAssertSubscriber<Correlation> stale = waiterOfAnIdCreatedAgainElsewhere();

        assertEquals(1, replica.recheckWaiters().await().indefinitely());

        assertNotFound(stale);
        assertEquals(0, waiters.waiting());
    }

    @Test
    void rechecksLongPollsBeyondOneBatchAndAnswersOnlyThoseThatSettledElsewhere() {
        MemoryCorrelationStore large = sharedStore(1_000);
        WaiterRegistry many = new WaiterRegistry(1_000);
        CorrelationService replica = new CorrelationService(large, many, clock, Duration.ofSeconds(30));
        List<UniAssertSubscriber<Correlation>> waiting = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            tokens.add(replica.create("job-" + i, Duration.ofSeconds(10), OPEN)
                    .await()
                    .indefinitely()
                    .token());
            waiting.add(waitOn(replica, "job-" + i));
        }
        for (int settled : List.of(0, 299, 599)) {
            settleElsewhere(large, "job-" + settled, tokens.get(settled), (byte) 1);
        }

        assertEquals(3, replica.recheckWaiters().await().indefinitely());

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
        MemoryCorrelationStore shared = new MemoryCorrelationStore(100, 1_000, Duration.ofMinutes(1)) {
            @Override
            public boolean isShared() {
                return true;
            }

            @Override
            public Uni<Correlation> findSettled(String id, Instant now) {
                fullReads.incrementAndGet();
                return super.findSettled(id, now);
            }
        };
        CorrelationService replica = new CorrelationService(shared, waiters, clock, Duration.ofSeconds(30));
        List<UniAssertSubscriber<Correlation>> waiting = new ArrayList<>();
        String settledToken = null;
        for (int i = 0; i < 5; i++) {
            CorrelationService.Created created = replica.create("job-" + i, Duration.ofSeconds(10), OPEN)
                    .await()
                    .indefinitely();
            settledToken = i == 3 ? created.token() : settledToken;
            waiting.add(replica.result("job-" + i, Duration.ofMinutes(5), false, OPEN)
                    .subscribe()
                    .withSubscriber(UniAssertSubscriber.create()));
        }
        // Settled behind this replica's back, as if on another replica whose wake-up was lost.
        settleElsewhere(shared, "job-3", settledToken, (byte) 3);

        assertEquals(1, replica.recheckWaiters().await().indefinitely());

        assertEquals(1, fullReads.get());
        assertArrayEquals(
                new byte[] {3},
                ((Outcome.Result) waiting.get(3).assertCompleted().getItem().outcome()).body());
        assertEquals(4, waiters.waiting());
    }

    @Test
    void aLateWakeUpAnswersItsOwnIncarnationAndLeavesTheNextOneWaiting() {
        CorrelationService.Created first =
                replica.create("order-1", Duration.ofSeconds(10), OPEN).await().indefinitely();
        UniAssertSubscriber<Correlation> old = waitOn(replica, "order-1");
        // Elsewhere, before this replica hears of it: settled, consumed, and created again.
        Correlation settled = settleElsewhere("order-1", first.token(), (byte) 1);
        shared.consume(settled, OPEN, clock.instant()).await().indefinitely();
        clock.advance(Duration.ofMillis(1));
        createElsewhere(shared, "order-1");
        UniAssertSubscriber<Correlation> next = waitOn(replica, "order-1");

        replica.recheck("order-1", () -> settled).await().indefinitely();

        assertArrayEquals(
                new byte[] {1},
                ((Outcome.Result) old.assertCompleted().getItem().outcome()).body());
        next.assertNotTerminated();
        assertEquals(1, waiters.waiting());
    }

    @Test
    void aWakeUpOfTheNextIncarnationStillTellsTheEarlierOnesWaitersTheirsIsGone() {
        UniAssertSubscriber<Correlation> old = waiterOfAnIdCreatedAgainElsewhere();
        Correlation settled = settleElsewhere("order-1", "u", (byte) 2);

        assertEquals(true, replica.recheck("order-1", () -> settled).await().indefinitely());

        assertNotFound(old);
        assertEquals(0, waiters.waiting());
    }

    @Test
    void skipsTheReadAfterRegisteringOnlyWhenTheStoreVouchesNothingChanged() {
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger vouched = new AtomicInteger();
        MemoryCorrelationStore store = new MemoryCorrelationStore(100, 1_000, Duration.ofMinutes(1)) {
            @Override
            public Uni<Correlation> find(String id, Instant now) {
                reads.incrementAndGet();
                return super.find(id, now);
            }

            @Override
            public long changeMark() {
                return 7;
            }

            @Override
            public boolean mayHaveChangedSince(long mark, String id) {
                assertEquals(7, mark);
                return !id.equals("quiet") || vouched.incrementAndGet() == 0;
            }
        };
        CorrelationService replica = new CorrelationService(store, waiters, clock, Duration.ofSeconds(30));
        replica.create("quiet", Duration.ofSeconds(10), OPEN).await().indefinitely();
        replica.create("busy", Duration.ofSeconds(10), OPEN).await().indefinitely();

        UniAssertSubscriber<Correlation> quiet = replica.result("quiet", Duration.ofMinutes(5), false, OPEN)
                .subscribe()
                .withSubscriber(UniAssertSubscriber.create());
        assertEquals(1, reads.get(), "the first read only");
        assertEquals(1, vouched.get());

        UniAssertSubscriber<Correlation> busy = replica.result("busy", Duration.ofMinutes(5), false, OPEN)
                .subscribe()
                .withSubscriber(UniAssertSubscriber.create());
        assertEquals(3, reads.get(), "both reads for a correlation that may have changed");

        quiet.assertNotTerminated();
        busy.assertNotTerminated();
        assertEquals(2, waiters.waiting());
    }

    private static UniAssertSubscriber<Correlation> waitOn(CorrelationService service, String id) {
        return service.result(id, Duration.ofMinutes(5), false, OPEN)
                .subscribe()
                .withSubscriber(UniAssertSubscriber.create());
    }

    /** A request waiting here on "order-1", which then expired and was created again elsewhere. */
    private UniAssertSubscriber<Correlation> waiterOfAnIdCreatedAgainElsewhere() {
        replica.create("order-1", Duration.ofSeconds(10), OPEN).await().indefinitely();
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

    /** A memory store that says it is shared, as the Redis one does: the service then rechecks its waiters. */
    private static MemoryCorrelationStore sharedStore() {
        return sharedStore(100);
    }

    private static MemoryCorrelationStore sharedStore(int maxCorrelations) {
        return new MemoryCorrelationStore(maxCorrelations, 1_000, Duration.ofMinutes(1)) {
            @Override
            public boolean isShared() {
                return true;
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
