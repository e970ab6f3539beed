package dev.rendezvous.correlation.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rendezvous.correlation.model.Correlation;
import dev.rendezvous.correlation.model.Outcome;
import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.model.RendezvousException;
import dev.rendezvous.correlation.model.State;
import dev.rendezvous.correlation.service.CorrelationService.Callbacks;
import dev.rendezvous.correlation.store.MemoryCorrelationStore;
import dev.rendezvous.support.MutableClock;
import dev.rendezvous.support.Wiring;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CorrelationServiceTest {

    /** API keys off: every client may act on every correlation. */
    private static final String OPEN = null;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    private final WaiterRegistry waiters = Wiring.registry(10);
    private final CorrelationService service = Wiring.service(Wiring.newMemoryStore(100, 1_000), waiters, clock);

    @Test
    void answersTheWaitersOfAnExpiredCorrelationNotFoundWhenItsIdIsCreatedAgain() {
        service.create("order-1", Duration.ofSeconds(10), OPEN, Callbacks.TOKEN)
                .await()
                .indefinitely();
        UniAssertSubscriber<Correlation> stale = waitOn(service, "order-1");
        clock.advance(Duration.ofSeconds(10));

        CorrelationService.Created again = service.create("order-1", Duration.ofSeconds(10), OPEN, Callbacks.TOKEN)
                .await()
                .indefinitely();
        service.settle("order-1", again.token(), new Outcome.Result(new byte[] {7}, null))
                .await()
                .indefinitely();

        assertNotFound(stale);
        assertEquals(0, waiters.waiting());
    }

    @Test
    void handsTheNewIncarnationsResultOnlyToItsOwnWaiters() {
        service.create("order-1", Duration.ofSeconds(10), OPEN, Callbacks.TOKEN)
                .await()
                .indefinitely();
        clock.advance(Duration.ofSeconds(10));
        CorrelationService.Created again = service.create("order-1", Duration.ofSeconds(10), OPEN, Callbacks.TOKEN)
                .await()
                .indefinitely();
        UniAssertSubscriber<Correlation> fresh = waitOn(service, "order-1");

        service.settle("order-1", again.token(), new Outcome.Result(new byte[] {7}, null))
                .await()
                .indefinitely();

        Correlation delivered = fresh.assertCompleted().getItem();
        assertArrayEquals(new byte[] {7}, ((Outcome.Result) delivered.outcome()).body());
    }

    @Test
    void showsACorrelationOnlyToItsOwnerAndLetsNoOtherWaitOnIt() {
        service.create("private", Duration.ofSeconds(10), "owner-a", Callbacks.TOKEN)
                .await()
                .indefinitely();

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
    void skipsTheReadAfterRegisteringOnlyWhenTheStoreVouchesNothingChanged() {
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger vouched = new AtomicInteger();
        MemoryCorrelationStore store = new MemoryCorrelationStore(Wiring.memoryStoreConfig(100, 1_000)) {
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
        CorrelationService replica = Wiring.service(store, waiters, clock);
        replica.create("quiet", Duration.ofSeconds(10), OPEN, Callbacks.TOKEN)
                .await()
                .indefinitely();
        replica.create("busy", Duration.ofSeconds(10), OPEN, Callbacks.TOKEN)
                .await()
                .indefinitely();

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

    private static void assertNotFound(Uni<Correlation> answer) {
        assertNotFound(answer.subscribe().withSubscriber(UniAssertSubscriber.create()));
    }

    private static void assertNotFound(UniAssertSubscriber<Correlation> subscriber) {
        RendezvousException refused = (RendezvousException)
                subscriber.assertFailedWith(RendezvousException.class).getFailure();
        assertEquals(Rejection.NOT_FOUND, refused.rejection());
    }
}
