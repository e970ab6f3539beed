package dev.rendezvous.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WakeUpLogTest {

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

    private static WakeUpLog subscribedLog() {
        WakeUpLog log = new WakeUpLog();
        log.subscribed();
        return log;
    }
}
