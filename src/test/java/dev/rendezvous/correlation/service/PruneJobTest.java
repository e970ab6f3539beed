package dev.rendezvous.correlation.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rendezvous.correlation.model.Correlation;
import dev.rendezvous.correlation.model.RendezvousException;
import dev.rendezvous.correlation.service.CorrelationService.Callbacks;
import dev.rendezvous.support.MutableClock;
import dev.rendezvous.support.Wiring;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PruneJobTest {

    /** API keys off: every client may act on every correlation. */
    private static final String OPEN = null;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    private final WaiterRegistry waiters = Wiring.registry(10);
    private final CorrelationService service = Wiring.service(Wiring.newMemoryStore(100, 1_000), waiters, clock);
    private final PruneJob job = new PruneJob(service, clock);

    @Test
    void prunesNothingBeforeExpiry() {
        service.create("a", Duration.ofSeconds(10), OPEN, Callbacks.TOKEN)
                .await()
                .indefinitely();
        clock.advance(Duration.ofSeconds(9));

        assertEquals(0, job.pruneNow().await().indefinitely());
        assertEquals("a", service.status("a", OPEN).await().indefinitely().id());
    }

    @Test
    void prunesExpiredCorrelationsAndAnswersTheirWaitersAtOnce() {
        service.create("a", Duration.ofSeconds(10), OPEN, Callbacks.TOKEN)
                .await()
                .indefinitely();
        service.create("b", null, OPEN, Callbacks.TOKEN).await().indefinitely();
        UniAssertSubscriber<Correlation> waiter = service.result("a", Duration.ofMinutes(5), false, OPEN)
                .subscribe()
                .withSubscriber(UniAssertSubscriber.create());
        assertEquals(1, waiters.waiting());

        clock.advance(Duration.ofSeconds(10));

        assertEquals(1, job.pruneNow().await().indefinitely());
        waiter.assertFailedWith(RendezvousException.class);
        assertEquals(0, waiters.waiting());
        assertEquals(1, service.usage().count("correlations"));
    }

    @Test
    void expiresACorrelationWithTheDefaultTtl() {
        service.create("b", null, OPEN, Callbacks.TOKEN).await().indefinitely();
        clock.advance(Duration.ofSeconds(30));

        assertEquals(1, job.pruneNow().await().indefinitely());
        assertEquals(0, service.usage().count("correlations"));
    }
}
