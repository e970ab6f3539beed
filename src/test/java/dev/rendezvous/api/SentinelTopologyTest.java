package dev.rendezvous.api;

import static dev.rendezvous.support.Api.createCompleted;
import static dev.rendezvous.support.Api.uniqueId;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rendezvous.support.RedisSentinelProfile;
import dev.rendezvous.support.RedisSentinelResource;
import dev.rendezvous.support.Resp;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** Through a Sentinel the service writes to the primary it names, and the replica copies it. */
@QuarkusTest
@TestProfile(RedisSentinelProfile.class)
class SentinelTopologyTest {

    @Test
    void storesOnThePrimaryTheSentinelNamesAndTheReplicaCopiesIt() {
        String id = uniqueId("sentinel");
        createCompleted(id, "through the sentinel");
        int sentinel = URI.create(ConfigProvider.getConfig().getValue("quarkus.redis.hosts", String.class))
                .getPort();
        int primary = port(command(sentinel, "SENTINEL", "get-master-addr-by-name", RedisSentinelResource.MASTER_NAME));
        int replica = port(command(sentinel, "SENTINEL", "replicas", RedisSentinelResource.MASTER_NAME));
        // The key's hash tag (its bucket) is the service's own business: found by its ID.
        List<?> found = (List<?>) command(primary, "KEYS", "rendezvous:c:*}" + id);
        assertEquals(1, found.size(), () -> "keys of " + id + ": " + found);
        String key = (String) found.get(0);

        assertEquals(1L, command(primary, "EXISTS", key));
        await().atMost(Duration.ofSeconds(5)).until(() -> Long.valueOf(1).equals(command(replica, "EXISTS", key)));
        assertEquals("slave", String.valueOf(((List<?>) command(replica, "ROLE")).get(0)));
    }

    /** The port of an address ({@code [host, port]}) or of the first of a Sentinel's replica entries. */
    private static int port(Object answer) {
        List<?> list = (List<?>) answer;
        if (list.get(0) instanceof List<?> first) {
            return Integer.parseInt(String.valueOf(first.get(first.indexOf("port") + 1)));
        }
        return Integer.parseInt(String.valueOf(list.get(1)));
    }

    private static Object command(int port, String... args) {
        return Resp.command(port, Duration.ofSeconds(5), args);
    }
}
