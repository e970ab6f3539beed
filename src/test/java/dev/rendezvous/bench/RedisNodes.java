package dev.rendezvous.bench;

import dev.rendezvous.support.RedisCluster;
import dev.rendezvous.support.RedisServer;
import java.util.List;
import java.util.Map;

/**
 * The private Redis of a benchmark mode: one redis-server, a Redis Cluster's nodes, or none. Counts
 * (keys, memory, CPU) are summed over the nodes; commands go to each node on its own connection.
 */
final class RedisNodes implements AutoCloseable {

    private static final RedisNodes NONE = new RedisNodes(List.of(), Map.of(), () -> {});

    private final List<RedisServer> nodes;
    /** What the service needs to reach them, over its defaults. */
    private final Map<String, String> clientConfig;

    private final Runnable stop;

    private RedisNodes(List<RedisServer> nodes, Map<String, String> clientConfig, Runnable stop) {
        this.nodes = nodes;
        this.clientConfig = clientConfig;
        this.stop = stop;
    }

    static RedisNodes none() {
        return NONE;
    }

    static RedisNodes standalone() {
        RedisServer redis = RedisServer.start();
        return new RedisNodes(List.of(redis), Map.of("quarkus.redis.hosts", redis.url()), redis::close);
    }

    /** A Redis Cluster of {@code primaries} primaries without replicas: every node a primary. */
    static RedisNodes cluster(int primaries) {
        RedisCluster cluster = RedisCluster.start(primaries, 0);
        return new RedisNodes(
                cluster.nodes(),
                Map.of("quarkus.redis.client-type", "cluster", "quarkus.redis.hosts", cluster.hosts()),
                cluster::close);
    }

    boolean present() {
        return !nodes.isEmpty();
    }

    Map<String, String> clientConfig() {
        return clientConfig;
    }

    /** How the report names each node, in the order of {@link #cpuNanosByNode()}. */
    List<String> names() {
        return nodes.stream().map(node -> "127.0.0.1:" + node.port()).toList();
    }

    /** CPU time so far of each node's process, in nanoseconds; -1 where it cannot be read. */
    long[] cpuNanosByNode() {
        return nodes.stream().mapToLong(node -> Proc.cpuNanos(node.pid())).toArray();
    }

    /** Keys over all nodes ({@code DBSIZE}); -1 without Redis. */
    long keys() {
        return present()
                ? nodes.stream()
                        .mapToLong(node -> ((Number) node.command("DBSIZE")).longValue())
                        .sum()
                : -1;
    }

    /** Redis's {@code used_memory} (INFO memory) over all nodes; -1 without Redis or if a node does not say. */
    long usedMemoryBytes() {
        return infoSum("memory", "used_memory");
    }

    /** The sum over the nodes of a number in an INFO {@code section}; -1 without Redis or if a node does not give it. */
    long infoSum(String section, String field) {
        long total = 0;
        for (RedisServer node : nodes) {
            long value =
                    RedisServer.infoNumber(node.command("INFO", section), field).orElse(-1);
            if (value < 0) {
                return -1;
            }
            total += value;
        }
        return present() ? total : -1;
    }

    /** Zeroes every node's command statistics and counters of INFO stats ({@code CONFIG RESETSTAT}). */
    void resetStats() {
        nodes.forEach(node -> node.command("CONFIG", "RESETSTAT"));
    }

    /** The command statistics of all nodes together since they were last reset. */
    CommandStats commandStats() {
        return nodes.stream()
                .map(node -> CommandStats.parse(node.command("INFO", "commandstats")))
                .reduce(CommandStats.none(), CommandStats::plus);
    }

    @Override
    public void close() {
        stop.run();
    }
}
