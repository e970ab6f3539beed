package dev.rendezvous.redis;

import static dev.rendezvous.redis.RedisLanesTest.eventLoops;
import static dev.rendezvous.redis.RedisLanesTest.onLoop;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rendezvous.support.RedisCluster;
import dev.rendezvous.support.RedisServer;
import io.vertx.core.Context;
import io.vertx.core.VertxOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Lanes on a Redis Cluster: one lane holds a connection to every node, pipelines each command to the
 * node of its key, and when it is dropped, closes every one of those connections rather than hand
 * them back to the pool.
 */
class ClusterLanesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final int POOL_SIZE = 4;

    private final RedisKeys keys = new RedisKeys("rendezvous:");
    private RedisCluster cluster;
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
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void closesEveryNodeConnectionOfALaneThatStoppedAnswering() throws Exception {
        RedisLanes lanes = start();
        Context loop = eventLoops(vertx, 1).get(0);
        for (int i = 0; i < 30; i++) {
            String key = keys.correlation("lane-" + i);
            assertEquals(
                    "OK",
                    onLoop(
                                    loop,
                                    () -> lanes.send(
                                            Request.cmd(Command.SET).arg(key).arg("x"), TIMEOUT))
                            .toString());
        }
        Map<RedisServer, List<String>> laneConnections = new HashMap<>();
        for (RedisServer node : cluster.primaries()) {
            laneConnections.put(node, connectionsOf(node));
            assertFalse(laneConnections.get(node).isEmpty(), "the lane holds a connection to every primary");
        }

        RedisServer frozen = cluster.primaries().get(0);
        String keyThere = RedisCluster.keyOwnedBy(frozen, "probe-");
        frozen.pause();
        try {
            ExecutionException timedOut = assertThrows(
                    ExecutionException.class,
                    () -> onLoop(
                            loop, () -> lanes.send(Request.cmd(Command.GET).arg(keyThere), Duration.ofMillis(300))));
            assertEquals(
                    io.smallrye.mutiny.TimeoutException.class,
                    timedOut.getCause().getClass());
        } finally {
            frozen.resume();
        }

        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> laneConnections.forEach((node, ids) -> {
                    List<String> open = connectionsOf(node);
                    ids.forEach(id ->
                            assertFalse(open.contains(id), () -> "connection " + id + " is still open on " + node));
                }));
    }

    private RedisLanes start() {
        cluster = RedisCluster.start(3, 0);
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        RedisOptions options = new RedisOptions()
                .setType(RedisClientType.CLUSTER)
                .setMaxPoolSize(POOL_SIZE)
                .setMaxPoolWaiting(100);
        cluster.nodes().forEach(node -> options.addConnectionString(node.url()));
        client = Redis.createClient(vertx, options);
        return new RedisLanes(() -> client, vertx, POOL_SIZE, LaneMark.channels(keys.settledChannels()));
    }

    /** The IDs of the node's client connections, but the one asking. */
    private static List<String> connectionsOf(RedisServer node) {
        List<String> ids = new ArrayList<>();
        for (String line : String.valueOf(node.command("CLIENT", "LIST")).split("\n")) {
            if (!line.contains("cmd=client|list") && line.startsWith("id=")) {
                ids.add(line.substring(3, line.indexOf(' ')));
            }
        }
        return ids;
    }
}
