package dev.rendezvous.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.redis.client.impl.types.ErrorType;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** What a configured host's answer says, and how the host is shown in the log. */
class SetupFindingTest {

    private static final String HOST = "rediss://worker:s3cret@sentinel-0:26379";

    @Test
    void showsHostsWithoutUserOrPassword() {
        assertEquals("rediss://sentinel-0:26379", SetupFinding.withoutPassword(HOST));
        assertEquals("redis://x", SetupFinding.withoutPassword("redis://:s3cret@x"));
        assertEquals("redis://redis:6379/2", SetupFinding.withoutPassword("redis://redis:6379/2"));
    }

    @Test
    void neverNamesThePasswordOfAHostThatMisfits() {
        SetupFinding finding = SetupFinding.sentinelRefused(HOST, ErrorType.create("ERR unknown command 'sentinel'"));

        assertTrue(finding.misfits());
        assertFalse(finding.problem().contains("s3cret"), finding.problem());
    }

    @Test
    void saysNothingOfAHostThatDoesNotAnswer() {
        SetupFinding finding = SetupFinding.clusterRefused(HOST, new ConnectException("Connection refused"));

        assertFalse(finding.misfits());
        assertFalse(finding.fits());
    }
}
