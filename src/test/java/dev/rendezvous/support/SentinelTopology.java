package dev.rendezvous.support;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A primary with two replicas and one Sentinel (quorum of one, primary down after 1 s), each a
 * redis-server process of its own: after the primary dies, one replica is promoted and the other
 * follows it, so that the new primary still has a replica to confirm writes.
 */
public final class SentinelTopology implements AutoCloseable {

    private static final String MASTER_NAME = RedisSentinelResource.MASTER_NAME;

    private final RedisServer primary;
    private final List<RedisServer> replicas;
    private final RedisServer sentinel;

    private SentinelTopology(RedisServer primary, List<RedisServer> replicas, RedisServer sentinel) {
        this.primary = primary;
        this.replicas = replicas;
        this.sentinel = sentinel;
    }

    /** Returns once both replicas have synchronised and the Sentinel knows them, as a failover needs. */
    public static SentinelTopology start() {
        RedisServer primary = RedisServer.start();
        List<RedisServer> replicas = List.of(RedisServer.startReplicaOf(primary), RedisServer.startReplicaOf(primary));
        // The Sentinel learns of replicas from the primary's INFO, at once when it starts and then every
        // 10 s; and writes made before the replicas count would not be confirmed.
        Replication.awaitCounted(primary, 2);
        RedisServer sentinel = RedisServer.startSentinel(MASTER_NAME, primary, Duration.ofSeconds(1));
        SentinelTopology topology = new SentinelTopology(primary, replicas, sentinel);
        Processes.awaitUntil(
                Duration.ofSeconds(20),
                () -> sentinel.command("SENTINEL", "replicas", MASTER_NAME) instanceof List<?> known
                        && known.size() == 2,
                () -> {
                    topology.close();
                    return new IllegalStateException("the Sentinel does not know both replicas:\n" + sentinel.log());
                });
        return topology;
    }

    /** The configuration of a service replica that reaches Redis through the Sentinel. */
    public Map<String, String> serviceConfig(int replicaAcks) {
        Map<String, String> config = new HashMap<>(RedisSentinelResource.clientConfig(sentinel));
        config.put("rendezvous.redis.replica-acks", Integer.toString(replicaAcks));
        config.put("rendezvous.redis.recheck-interval", "0.5S");
        return config;
    }

    /** The port of the primary the Sentinel names now. */
    public int primaryPort() {
        List<?> address = (List<?>) sentinel.command("SENTINEL", "get-master-addr-by-name", MASTER_NAME);
        return Integer.parseInt(String.valueOf(address.get(1)));
    }

    /** {@code kill -9} of the primary. */
    public void killPrimary() {
        primary.kill();
    }

    /**
     * Polls the Sentinel until it names another primary than {@code before}; returns the
     * {@link System#nanoTime()} at which it first did.
     */
    public long awaitPromotion(int before, Duration within) {
        Processes.awaitUntil(
                within,
                () -> primaryPort() != before,
                () -> new IllegalStateException("no promotion within " + within + ":\n" + sentinel.log()));
        return System.nanoTime();
    }

    @Override
    public void close() {
        sentinel.stop();
        replicas.forEach(RedisServer::stop);
        primary.stop();
    }
}
