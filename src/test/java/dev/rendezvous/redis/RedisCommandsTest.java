package dev.rendezvous.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.model.RendezvousException;
import dev.rendezvous.support.LogCapture;
import dev.rendezvous.support.RedisServer;
import dev.rendezvous.support.Wiring;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Changes against real redis-server processes: with {@code replica-acks}, answered once a replica has
 * them and {@code 503} when none confirms them in time; a replica that refuses writes takes the
 * service out of rotation like a Redis that does not answer. Each test's first change meets a Redis
 * that does not know the script yet, so the batch's {@code NOSCRIPT} is recovered from on the way.
 */
class RedisCommandsTest {

    private static final RedisScripts.Script SET =
            new RedisScripts.Script("return redis.call('SET', KEYS[1], ARGV[1])");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @RegisterExtension
    final LogCapture log = new LogCapture();

    private final List<RedisServer> servers = new ArrayList<>();
    private Vertx vertx;
    private Redis client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (vertx != null) {
            vertx.closeAndAwait();
        }
        servers.forEach(RedisServer::stop);
    }

    @Test
    void answersAChangeOnlyOnceAReplicaHasIt() {
        RedisServer primary = server(RedisServer.start());
        RedisServer replica = replicaOf(primary);
        RedisCommands commands = commands(primary, "1");

        for (int i = 0; i < 20; i++) {
            assertEquals("OK", change(commands, "k" + i, "v" + i));
            assertEquals("v" + i, replica.command("GET", "k" + i), "acknowledged, so on the replica");
        }
    }

    @Test
    void answers503WhileNoReplicaConfirmsAndLogsTheEpisodeOnce() {
        RedisServer primary = server(RedisServer.start());
        RedisServer replica = replicaOf(primary);
        RedisCommands commands = commands(primary, "1");
        assertEquals("OK", change(commands, "before", "v"));

        replica.pause();
        try {
            for (int i = 0; i < 3; i++) {
                String key = "frozen" + i;
                RendezvousException refused = assertThrows(RendezvousException.class, () -> change(commands, key, "v"));
                assertEquals(Rejection.STORE_UNAVAILABLE, refused.rejection());
                assertTrue(refused.detail().contains("identical retry is safe"), refused::detail);
                assertEquals("v", primary.command("GET", key), "made on the primary all the same");
            }
            assertTrue(commands.isAvailable(), "Redis answered, so readiness stays UP");
        } finally {
            replica.resume();
        }
        assertEquals("OK", change(commands, "after", "v"));

        assertEquals(1, lines("replica-acks"), () -> "one warning for the episode: " + log.lines());
        assertEquals(1, lines("confirm changes again"), () -> log.lines().toString());
    }

    @Test
    void takesAReplicaThatRefusesWritesForAnUnavailableRedis() {
        RedisServer primary = server(RedisServer.start());
        RedisServer replica = replicaOf(primary);
        RedisCommands commands = commands(replica, "0");

        for (int i = 0; i < 3; i++) {
            RendezvousException refused = assertThrows(RendezvousException.class, () -> change(commands, "k", "v"));
            assertEquals(Rejection.STORE_UNAVAILABLE, refused.rejection());
        }

        assertFalse(commands.isAvailable(), "readiness goes DOWN");
        assertEquals(1, lines("READONLY"), () -> "logged once: " + log.lines());
        assertEquals(0, lines("refused a command"), () -> log.lines().toString());
    }

    private RedisCommands commands(RedisServer redis, String replicaAcks) {
        vertx = Vertx.vertx();
        client = Redis.createClient(vertx, redis.url());
        return new RedisCommands(
                new RedisLanes(() -> client, vertx, 4, LaneMark.SESSION),
                Wiring.config(
                                "rendezvous.redis.replica-acks",
                                replicaAcks,
                                "rendezvous.redis.replica-ack-timeout",
                                "0.2S")
                        .redis());
    }

    private static String change(RedisCommands commands, String key, String value) {
        return String.valueOf(
                commands.change(SET, new String[] {key}, value).await().atMost(TIMEOUT));
    }

    private RedisServer server(RedisServer started) {
        servers.add(started);
        return started;
    }

    /** A replica of {@code primary} once it has synchronised: WAIT counts only replicas that have. */
    private RedisServer replicaOf(RedisServer primary) {
        RedisServer replica = server(RedisServer.startReplicaOf(primary));
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        String.valueOf(replica.command("INFO", "replication")).contains("master_link_status:up"));
        return replica;
    }

    private long lines(String containing) {
        return log.lines().stream().filter(line -> line.contains(containing)).count();
    }
}
