package dev.rendezvous.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster of {@code redis-server --cluster-enabled yes} processes: primaries, each with
 * as many replicas as asked, joined by {@code redis-cli --cluster create}. Stops every node on
 * {@link #close()}.
 */
public final class RedisCluster implements AutoCloseable {

    /** How long a node may be unreachable before the cluster fails it over. */
    public static final Duration NODE_TIMEOUT = Duration.ofMillis(2000);

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

    private final List<RedisServer> nodes;

    private RedisCluster(List<RedisServer> nodes) {
        this.nodes = nodes;
    }

    /** {@code primaries} primaries with {@code replicasEach} replicas each, ready ({@code cluster_state:ok}). */
    public static RedisCluster start(int primaries, int replicasEach) {
        List<RedisServer> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < primaries * (1 + replicasEach); i++) {
                nodes.add(RedisServer.startClusterNode());
            }
            RedisCluster cluster = new RedisCluster(nodes);
            cluster.create(replicasEach);
            cluster.awaitReady();
            return cluster;
        } catch (RuntimeException | Error e) {
            nodes.forEach(RedisServer::stop);
            throw e;
        }
    }

    public List<RedisServer> nodes() {
        return nodes;
    }

    /** The nodes that serve slots now, as the first node sees them. */
    public List<RedisServer> primaries() {
        return nodes.stream().filter(node -> isPrimary(node)).toList();
    }

    /** The nodes that replicate {@code primary}. */
    public List<RedisServer> replicasOf(RedisServer primary) {
        return nodes.stream()
                .filter(node -> node != primary)
                .filter(node -> {
                    List<?> role = (List<?>) node.command("ROLE");
                    return "slave".equals(String.valueOf(role.get(0)))
                            && String.valueOf(role.get(2)).equals(Integer.toString(primary.port()));
                })
                .toList();
    }

    /** The one replica of {@code primary}, in a cluster of one replica per primary. */
    public RedisServer replicaOf(RedisServer primary) {
        List<RedisServer> replicas = replicasOf(primary);
        if (replicas.size() != 1) {
            throw new IllegalStateException(primary + " has " + replicas.size() + " replicas");
        }
        return replicas.get(0);
    }

    /** A key with {@code prefix} in a slot that {@code primary} serves: every other primary answers it with a redirection. */
    public static String keyOwnedBy(RedisServer primary, String prefix) {
        for (int i = 0; ; i++) {
            String key = prefix + i;
            try {
                primary.command("EXISTS", key);
                return key;
            } catch (RedisServer.ErrorReply moved) {
                // Another primary's slot.
            }
        }
    }

    /** One more replica of {@code primary}, linked up when this returns. */
    public RedisServer addReplica(RedisServer primary) {
        RedisServer replica = RedisServer.startClusterNode();
        nodes.add(replica);
        String primaryId = String.valueOf(primary.command("CLUSTER", "MYID"));
        replica.command("CLUSTER", "MEET", "127.0.0.1", Integer.toString(primary.port()));
        // The replica must have heard of the primary through the cluster bus before it can follow it.
        Processes.awaitUntil(
                READY_TIMEOUT,
                () -> {
                    try {
                        replica.command("CLUSTER", "REPLICATE", primaryId);
                        return true;
                    } catch (RedisServer.ErrorReply unknownYet) {
                        return false;
                    }
                },
                () -> new IllegalStateException("the new replica does not know " + primary));
        Processes.awaitUntil(
                READY_TIMEOUT,
                () -> String.valueOf(replica.command("INFO", "replication")).contains("master_link_status:up"),
                () -> new IllegalStateException("the new replica did not link up:\n" + replica.log()));
        return replica;
    }

    /** The value for {@code quarkus.redis.hosts}: every node, so that the client finds the cluster from any. */
    public String hosts() {
        return nodes.stream().map(RedisServer::url).collect(Collectors.joining(","));
    }

    /** Keys held by a node, by {@code DBSIZE}. */
    public static long keys(RedisServer node) {
        return (Long) node.command("DBSIZE");
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::stop);
    }

    private static boolean isPrimary(RedisServer node) {
        try {
            return "master".equals(String.valueOf(((List<?>) node.command("ROLE")).get(0)));
        } catch (RuntimeException down) {
            return false;
        }
    }

    private void create(int replicasEach) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        nodes.forEach(node -> command.add("127.0.0.1:" + node.port()));
        command.addAll(List.of("--cluster-replicas", Integer.toString(replicasEach), "--cluster-yes"));
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(
                        "redis-cli --cluster create failed:\n" + new String(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run redis-cli", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the cluster", e);
        }
    }

    /** Every node reports the cluster ok and knows every other node; every replica is linked to its primary. */
    private void awaitReady() {
        Processes.awaitUntil(
                READY_TIMEOUT,
                () -> nodes.stream().allMatch(node -> {
                    Object info = node.command("CLUSTER", "INFO");
                    String replication = String.valueOf(node.command("INFO", "replication"));
                    return String.valueOf(info).contains("cluster_state:ok")
                            && RedisServer.infoNumber(info, "cluster_known_nodes")
                                            .orElse(0)
                                    == nodes.size()
                            && (replication.contains("role:master") || replication.contains("master_link_status:up"));
                }),
                () -> new IllegalStateException(
                        "the cluster is not ready:\n" + nodes.get(0).log()));
    }
}
