package dev.rendezvous.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Runs the application under test against a Redis Cluster of three primaries ({@link RedisCluster}),
 * reached with the standard Quarkus Redis client settings alone.
 */
public final class RedisClusterResource implements QuarkusTestResourceLifecycleManager {

    private RedisCluster cluster;

    @Override
    public Map<String, String> start() {
        cluster = RedisCluster.start(3, 0);
        return Map.of(
                "rendezvous.store", "redis",
                "quarkus.redis.client-type", "cluster",
                "quarkus.redis.hosts", cluster.hosts());
    }

    @Override
    public void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
