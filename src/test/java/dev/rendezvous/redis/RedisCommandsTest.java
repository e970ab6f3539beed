package dev.rendezvous.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.model.RendezvousException;
import dev.rendezvous.support.LogCapture;
import dev.rendezvous.support.RedisCluster;
import dev.rendezvous.support.RedisServer;
import dev.rendezvous.support.Replication;
import dev.rendezvous.support.Wiring;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Changes against real redis-server processes: with {@code replica-acks}, answered once a replica has
 * them and {@code 503} when none confirms them in time; a replica that refuses writes takes the
 * service out of rotation like a Redis that does not answer; in a cluster, the change's own primary
 * waits for its replicas. Each test's first change meets a Redis
 * that does not know the script yet, so the batch's {@code NOSCRIPT} is recovered from on the way.
 */
class RedisCommandsTest {

    private static final RedisScripts.Script SET =
            new RedisScripts.Script("return redis.call('SET', KEYS[1], ARGV[1])");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @RegisterExtension
    final LogCapture log = new LogCapture();

    private final List<AutoCloseable> closing = new ArrayList<>();
    private Vertx vertx;
    private Redis client;

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (vertx != null) {
            vertx.closeAndAwait();
        }
        for (AutoCloseable redis : closing) {
            redis.close();
        }
    }

    @Test
    void answersAChangeOnlyOnceAReplicaHasIt() {
        RedisServer primary = server(RedisServer.start());
        RedisServer replica = replicaOf(primary);
        RedisCommands commands = commands(primary, "1");

        awaitConfirmed(commands, "warm-up");

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
        awaitConfirmed(commands, "before");
        int logged = log.lines().size();

        replica.pause();
        try {
            for (int i = 0; i < 2; i++) {
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

        List<String> episode = log.lines().subList(logged, log.lines().size());
        assertEquals(1, count(episode, "replica-acks"), () -> "one warning for the episode: " + episode);
        assertEquals(1, count(episode, "confirm changes again"), episode::toString);
    }

    /**
     * The cluster client sends a change and its {@code WAIT} as one batch to the primary that owns the
     * change's key (elsewhere the change would be refused with {@code MOVED}), so {@code WAIT} counts
     * that primary's replicas: what {@link RedisCommands} relies on in the client's cluster connection.
     * Only the first primary has the two replicas asked for.
     */
    @Test
    void waitsInAClusterForTheReplicasOfThePrimaryThatOwnsTheKey() {
        RedisCluster cluster = RedisCluster.start(3, 1);
        closing.add(cluster);
        RedisServer first = cluster.primaries().get(0);
        RedisServer second = cluster.primaries().get(1);
        cluster.addReplica(first);
        RedisCommands commands = commands(
                new RedisOptions()
                        .setType(RedisClientType.CLUSTER)
                        .setEndpoints(cluster.primaries().stream()
                                .map(RedisServer::url)
                                .toList()),
                "2");
        String firstKey = RedisCluster.keyOwnedBy(first, "acks:");
        String secondKey = RedisCluster.keyOwnedBy(second, "acks:");
        awaitConfirmed(commands, firstKey);

        assertEquals("OK", change(commands, firstKey, "v"));
        RendezvousException refused = assertThrows(RendezvousException.class, () -> change(commands, secondKey, "v"));
        assertTrue(refused.detail().contains("identical retry is safe"), refused::detail);
        assertEquals("v", second.command("GET", secondKey), "made on its own primary all the same");
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
        return commands(new RedisOptions().setConnectionString(redis.url()), replicaAcks);
    }

    private RedisCommands commands(RedisOptions options, String replicaAcks) {
        vertx = Vertx.vertx();
        client = Redis.createClient(vertx, options);
        return new RedisCommands(
                new RedisLanes(() -> client, vertx, 4, LaneMark.SESSION),
                Wiring.config(
                                "rendezvous.redis.replica-acks",
                                replicaAcks,
                                "rendezvous.redis.replica-ack-timeout",
                                "0.5S")
                        .redis());
    }

    private static String change(RedisCommands commands, String key, String value) {
        return String.valueOf(
                commands.change(SET, new String[] {key}, value).await().atMost(TIMEOUT));
    }

    private RedisServer server(RedisServer started) {
        closing.add(started);
        return started;
    }

    /** A replica of {@code primary} once the primary counts it for {@code WAIT}. */
    private RedisServer replicaOf(RedisServer primary) {
        RedisServer replica = server(RedisServer.startReplicaOf(primary));
        Replication.awaitCounted(primary, 1);
        return replica;
    }

    /**
     * Returns once a change is confirmed: a replica that has just synchronised confirms writes only
     * from its first acknowledgement on (see {@link Replication#awaitCounted}).
     */
    private static void awaitConfirmed(RedisCommands commands, String key) {
        await().atMost(Duration.ofSeconds(10))
                .ignoreException(RendezvousException.class)
                .until(() -> "OK".equals(change(commands, key, "v")));
    }

    private long lines(String containing) {
        return count(log.lines(), containing);
    }

    private static long count(List<String> lines, String containing) {
        return lines.stream().filter(line -> line.contains(containing)).count();
    }
}
