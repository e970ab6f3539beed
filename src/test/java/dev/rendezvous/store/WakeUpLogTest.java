package dev.rendezvous.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rendezvous.core.CallbackToken;
import dev.rendezvous.core.Correlation;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WakeUpLogTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(30);

    private final WakeUpLog log = subscribedLog();

    @Test
    void vouchesForAnIdNoWakeUpNamedSinceTheMark() {
        long mark = log.mark();
        log.heard("other");

        assertFalse(log.mayHaveHeard(mark, "mine"));
    }

    @Test
    void reportsAWakeUpOfTheIdSinceTheMark() {
        long mark = log.mark();
        log.heard("other");
        log.heard("mine");
        log.heard("third");

        assertTrue(log.mayHaveHeard(mark, "mine"));
    }

    @Test
    void ignoresWakeUpsHeardBeforeTheMark() {
        log.heard("mine");
        long mark = log.mark();

        assertFalse(log.mayHaveHeard(mark, "mine"));
    }

    @Test
    void vouchesForNothingWithoutASubscription() {
        WakeUpLog unsubscribed = new WakeUpLog();
        long mark = unsubscribed.mark();

        assertTrue(mark < 0);
        assertTrue(unsubscribed.mayHaveHeard(mark, "mine"));
    }

    @Test
    void distrustsMarksTakenBeforeTheSubscriptionWasLost() {
        long mark = log.mark();
        log.lost();

        assertTrue(log.mayHaveHeard(mark, "mine"));

        log.subscribed();
        assertTrue(log.mayHaveHeard(mark, "mine"), "wake-ups of the gap are lost");
        assertFalse(log.mayHaveHeard(log.mark(), "mine"));
    }

    @Test
    void distrustsMarksOlderThanEverythingItRemembers() {
        long mark = log.mark();
        for (int i = 0; i < 5_000; i++) {
            log.heard("other-" + i);
        }

        assertTrue(log.mayHaveHeard(mark, "mine"));
    }

    @Test
    void vouchesForACorrelationCreatedHereThatNoWakeUpNamedSince() {
        long mark = log.mark();
        log.heard("other");
        Correlation created = pending("mine");
        log.created(created, mark);
        log.heard("third");

        assertSame(created, log.unchangedSinceCreated("mine", T0));
        assertNull(log.unchangedSinceCreated("unknown", T0));
    }

    @Test
    void stopsVouchingForACreatedCorrelationOnceAWakeUpNamesIt() {
        long mark = log.mark();
        // Heard while the create was on its way: it was already overtaken when it was remembered.
        log.heard("mine");
        log.created(pending("mine"), mark);

        assertNull(log.unchangedSinceCreated("mine", T0));

        long later = log.mark();
        log.created(pending("again"), later);
        log.heard("again");
        assertNull(log.unchangedSinceCreated("again", T0));
    }

    @Test
    void vouchesForNoCreatedCorrelationPastItsExpiry() {
        log.created(pending("mine"), log.mark());

        assertNull(log.unchangedSinceCreated("mine", T0.plus(TTL)), "it may have been created again elsewhere");
    }

    @Test
    void vouchesForNoCreatedCorrelationWithoutAnUnbrokenSubscription() {
        WakeUpLog unsubscribed = new WakeUpLog();
        unsubscribed.created(pending("before"), unsubscribed.mark());
        assertNull(unsubscribed.unchangedSinceCreated("before", T0));

        log.created(pending("mine"), log.mark());
        log.lost();
        log.subscribed();
        assertNull(log.unchangedSinceCreated("mine", T0), "wake-ups of the gap are lost");
    }

    @Test
    void remembersOnlyTheLatestCreatedCorrelations() {
        log.created(pending("first"), log.mark());
        for (int i = 0; i < 5_000; i++) {
            log.created(pending("other-" + i), log.mark());
        }

        assertNull(log.unchangedSinceCreated("first", T0));
        assertTrue(log.unchangedSinceCreated("other-4999", T0) != null);
    }

    private static Correlation pending(String id) {
        return Correlation.pending(id, CallbackToken.hash(CallbackToken.generate()), TTL, T0);
    }

    private static WakeUpLog subscribedLog() {
        WakeUpLog log = new WakeUpLog();
        log.subscribed();
        return log;
    }
}
