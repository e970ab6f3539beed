package dev.rendezvous.redis;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rendezvous.support.Wiring;
import org.junit.jupiter.api.Test;

/** The replica acknowledgement settings stop startup with a message naming the keys when they cannot work. */
class ReplicaAcksTest {

    @Test
    void refusesANegativeNumberOfReplicas() {
        assertRefused("rendezvous.redis.replica-acks", "rendezvous.redis.replica-acks", "-1");
    }

    @Test
    void refusesAnAckTimeoutBelowOneMillisecondSinceWaitWouldBlockForGood() {
        assertRefused(
                "rendezvous.redis.replica-ack-timeout",
                "rendezvous.redis.replica-acks",
                "1",
                "rendezvous.redis.replica-ack-timeout",
                "0S");
    }

    @Test
    void refusesACommandTimeoutNoLongerThanTheAckTimeout() {
        assertRefused(
                "rendezvous.redis.command-timeout",
                "rendezvous.redis.replica-acks",
                "2",
                "rendezvous.redis.replica-ack-timeout",
                "2S",
                "rendezvous.redis.command-timeout",
                "2S");
    }

    @Test
    void leavesTheTimeoutsAloneWhileNoReplicaIsAwaited() {
        assertDoesNotThrow(() -> new ReplicaAcks(Wiring.config(
                        "rendezvous.redis.replica-ack-timeout", "5S",
                        "rendezvous.redis.command-timeout", "1S")
                .redis()));
    }

    private static void assertRefused(String named, String... keysAndValues) {
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class,
                () -> new ReplicaAcks(Wiring.config(keysAndValues).redis()));
        assertTrue(refused.getMessage().contains(named), refused::getMessage);
    }
}
