package dev.rendezvous.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis Cluster of three primaries with a replica each, every node a redis-server process of its
 * own, joined by {@code redis-cli --cluster create}.
 */
public final class RedisCluster implements AutoCloseable {

    private static final int PRIMARIES = 3;

    private final List<RedisServer> primaries = new ArrayList<>();
    private final List<RedisServer> replicas = new ArrayList<>();

    private RedisCluster() {}

    /** Returns once the cluster serves every slot and every replica is linked to its primary. */
    public static RedisCluster start() {
        RedisCluster cluster = new RedisCluster();
        try {
            for (int i = 0; i < 2 * PRIMARIES; i++) {
                (i < PRIMARIES ? cluster.primaries : cluster.replicas).add(RedisServer.startClusterNode());
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            cluster.primaries.forEach(node -> create.add("127.0.0.1:" + node.port()));
            cluster.replicas.forEach(node -> create.add("127.0.0.1:" + node.port()));
            create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            run(create);
            Processes.awaitUntil(
                    Duration.ofSeconds(20),
                    () -> cluster.replicas.stream()
                            .allMatch(node -> String.valueOf(node.command("CLUSTER", "INFO"))
                                            .contains("cluster_state:ok")
                                    && String.valueOf(node.command("INFO", "replication"))
                                            .contains("master_link_status:up")),
                    () -> new IllegalStateException("the cluster did not come up"));
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public List<RedisServer> primaries() {
        return primaries;
    }

    /** A key in a slot that {@code primary} serves: every other primary answers it with a redirection. */
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

    /** Gives {@code primary} one more replica; returns once it is linked. */
    public RedisServer addReplica(RedisServer primary) {
        RedisServer replica = RedisServer.startClusterNode();
        replicas.add(replica);
        String primaryId = String.valueOf(primary.command("CLUSTER", "MYID"));
        replica.command("CLUSTER", "MEET", "127.0.0.1", Integer.toString(primary.port()));
        // The replica must have heard of the primary through the cluster bus before it can follow it.
        Processes.awaitUntil(
                Duration.ofSeconds(10),
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
                Duration.ofSeconds(10),
                () -> String.valueOf(replica.command("INFO", "replication")).contains("master_link_status:up"),
                () -> new IllegalStateException("the new replica did not link up:\n" + replica.log()));
        return replica;
    }

    @Override
    public void close() {
        replicas.forEach(RedisServer::stop);
        primaries.forEach(RedisServer::stop);
    }

    private static void run(List<String> command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the cluster", e);
        }
    }
}
