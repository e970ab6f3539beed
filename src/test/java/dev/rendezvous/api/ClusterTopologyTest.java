package dev.rendezvous.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rendezvous.support.Http;
import dev.rendezvous.support.RedisClusterProfile;
import dev.rendezvous.support.Resp;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/** On a cluster of three primaries, correlations and their wake-up channels spread evenly over the primaries. */
@QuarkusTest
@TestProfile(RedisClusterProfile.class)
class ClusterTopologyTest {

    private static final Logger LOG = Logger.getLogger(ClusterTopologyTest.class);
    private static final int CORRELATIONS = 30_000;
    private static final int IN_FLIGHT = 64;
    private static final int BUCKETS = 256;

    @TestHTTPResource("/")
    URI base;

    @Test
    void eachOfThreePrimariesHoldsAThirdOfTheCorrelations() throws InterruptedException {
        String run = "spread-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        Http http = new Http(base);
        Semaphore slots = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<HttpResponse<String>>> creates = new ArrayList<>(CORRELATIONS);
        for (int i = 0; i < CORRELATIONS; i++) {
            slots.acquire();
            creates.add(http.send("POST", "/v1/correlations", "{\"id\":\"" + run + i + "\"}", "application/json", null)
                    .whenComplete((answer, failure) -> slots.release()));
        }
        for (CompletableFuture<HttpResponse<String>> create : creates) {
            assertEquals(201, create.join().statusCode());
        }

        List<Integer> primaries = primaries();
        assertEquals(3, primaries.size());
        long[] held = primaries.stream()
                .mapToLong(port -> count(port, "rendezvous:c:*}" + run + "*"))
                .toArray();
        LOG.infof("correlations per primary of %d: %s", CORRELATIONS, Arrays.toString(held));
        assertEquals(CORRELATIONS, Arrays.stream(held).sum());
        for (long share : held) {
            double percent = 100.0 * share / CORRELATIONS;
            assertTrue(Math.abs(percent - 100.0 / 3) <= 5, () -> "a primary holds " + percent + "%");
        }
    }

    @Test
    void eachWakeUpChannelLivesOnTheOnePrimaryThatHoldsItsSlot() {
        long total = 0;
        for (int port : primaries()) {
            List<?> channels = (List<?>) command(port, "PUBSUB", "SHARDCHANNELS", "rendezvous:settled{*");
            LOG.infof("wake-up channels subscribed on primary %d: %d", port, channels.size());
            assertTrue(Math.abs(channels.size() - BUCKETS / 3.0) <= 2, () -> channels.size() + " channels on " + port);
            total += channels.size();
        }
        assertEquals(BUCKETS, total);
    }

    /** The ports of the nodes that serve slots. */
    private static List<Integer> primaries() {
        return Arrays.stream(ConfigProvider.getConfig()
                        .getValue("quarkus.redis.hosts", String.class)
                        .split(","))
                .map(host -> URI.create(host.strip()).getPort())
                .filter(port -> "master".equals(String.valueOf(((List<?>) command(port, "ROLE")).get(0))))
                .toList();
    }

    private static long count(int port, String pattern) {
        long found = 0;
        String cursor = "0";
        do {
            List<?> page = (List<?>) command(port, "SCAN", cursor, "MATCH", pattern, "COUNT", "5000");
            cursor = (String) page.get(0);
            found += ((List<?>) page.get(1)).size();
        } while (!"0".equals(cursor));
        return found;
    }

    private static Object command(int port, String... args) {
        return Resp.command(port, Duration.ofSeconds(5), args);
    }
}
