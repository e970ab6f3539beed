package dev.rendezvous.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What Redis did for the exchanges of the measured window: each node's CPU ({@code /proc}) and the
 * commands it ran by its own count ({@code INFO commandstats}), per exchange.
 *
 * @param nodes each node's CPU per exchange and share of all nodes' CPU; one node but in a cluster
 * @param commands calls and Redis's microseconds per exchange by command, summed over the nodes
 * @param readsPerExchange reads from client connections that brought commands ({@code
 *     total_reads_processed}), summed over the nodes: fewer than the commands where clients pipeline
 * @param writesPerExchange writes of replies to client connections ({@code total_writes_processed})
 */
record RedisFigures(
        List<Node> nodes,
        Map<String, CommandStats.PerExchange> commands,
        double readsPerExchange,
        double writesPerExchange) {

    /** A node's CPU in microseconds per exchange (-1 if unknown) and its share of all nodes' CPU in %. */
    record Node(String node, double cpuMicrosPerExchange, double cpuSharePercent) {}

    /** What the benchmark itself sends in the window: the reset counts itself after zeroing. */
    private static final Set<String> OWN_COMMANDS = Set.of("config|resetstat");

    /** CPU of all nodes together per exchange; -1 if any node's is unknown. */
    double cpuMicrosPerExchange() {
        double total = 0;
        for (Node node : nodes) {
            if (node.cpuMicrosPerExchange() < 0) {
                return -1;
            }
            total += node.cpuMicrosPerExchange();
        }
        return nodes.isEmpty() ? -1 : total;
    }

    /** Zeroes the nodes' command statistics and reads their CPU; null without Redis. */
    static Window start(RedisNodes redis) {
        if (!redis.present()) {
            return null;
        }
        redis.resetStats();
        return new Window(redis, redis.cpuNanosByNode());
    }

    /** The measured window from {@link #start} to {@link #stop}. */
    static final class Window {

        private final RedisNodes redis;
        private final long[] cpuBefore;
        private long[] cpuAfter;
        private CommandStats stats;
        private long reads;
        private long writes;

        private Window(RedisNodes redis, long[] cpuBefore) {
            this.redis = redis;
            this.cpuBefore = cpuBefore;
        }

        /** Reads the nodes' CPU, then their command statistics and I/O counts. */
        void stop() {
            cpuAfter = redis.cpuNanosByNode();
            stats = redis.commandStats();
            reads = redis.infoSum("stats", "total_reads_processed");
            writes = redis.infoSum("stats", "total_writes_processed");
        }

        /** The figures of the stopped window, over the exchanges that ended in it. */
        RedisFigures perExchange(long exchanges) {
            List<String> names = redis.names();
            long total = 0;
            for (int i = 0; i < cpuAfter.length; i++) {
                total += Math.max(0, cpuAfter[i] - cpuBefore[i]);
            }
            List<Node> nodes = new ArrayList<>();
            for (int i = 0; i < cpuAfter.length; i++) {
                boolean known = cpuBefore[i] >= 0 && cpuAfter[i] >= 0 && exchanges > 0;
                long used = cpuAfter[i] - cpuBefore[i];
                nodes.add(new Node(
                        names.get(i),
                        known ? used / 1000.0 / exchanges : -1,
                        known && total > 0 ? 100.0 * used / total : -1));
            }
            return new RedisFigures(
                    nodes,
                    stats.perExchange(exchanges, OWN_COMMANDS),
                    reads < 0 || exchanges == 0 ? -1 : reads / (double) exchanges,
                    writes < 0 || exchanges == 0 ? -1 : writes / (double) exchanges);
        }
    }
}
