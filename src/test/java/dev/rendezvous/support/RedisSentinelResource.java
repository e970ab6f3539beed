package dev.rendezvous.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs the application under test against a Sentinel-managed Redis: a primary, one replica and one
 * Sentinel (quorum of one), each a redis-server process of its own, reached only through the
 * Sentinel with the standard Quarkus Redis client settings.
 */
public final class RedisSentinelResource implements QuarkusTestResourceLifecycleManager {

    public static final String MASTER_NAME = "rendezvous";

    private RedisServer primary;
    private RedisServer replica;
    private RedisServer sentinel;

    @Override
    public Map<String, String> start() {
        primary = RedisServer.start();
        replica = RedisServer.startReplicaOf(primary);
        Replication.awaitCounted(primary, 1);
        sentinel = RedisServer.startSentinel(MASTER_NAME, primary, Duration.ofSeconds(1));
        Processes.awaitUntil(
                Duration.ofSeconds(10),
                () -> sentinel.command("SENTINEL", "get-master-addr-by-name", MASTER_NAME) instanceof List<?> address
                        && address.size() == 2
                        && String.valueOf(address.get(1)).equals(Integer.toString(primary.port())),
                () -> new IllegalStateException("the Sentinel does not name the primary:\n" + sentinel.log()));
        // A Sentinel learns of replicas from the primary's INFO, every 10 s at most; failover needs one.
        Processes.awaitUntil(
                Duration.ofSeconds(20),
                () -> sentinel.command("SENTINEL", "replicas", MASTER_NAME) instanceof List<?> replicas
                        && !replicas.isEmpty(),
                () -> new IllegalStateException("the Sentinel does not know the replica:\n" + sentinel.log()));
        return clientConfig(sentinel);
    }

    /** Redis mode through {@code sentinel}, which monitors the primary as {@link #MASTER_NAME}. */
    static Map<String, String> clientConfig(RedisServer sentinel) {
        return Map.of(
                "rendezvous.store",
                "redis",
                "quarkus.redis.client-type",
                "sentinel",
                "quarkus.redis.hosts",
                sentinel.url(),
                "quarkus.redis.master-name",
                MASTER_NAME);
    }

    @Override
    public void stop() {
        for (RedisServer server : new RedisServer[] {sentinel, replica, primary}) {
            if (server != null) {
                server.stop();
            }
        }
    }
}
