package dev.rendezvous.redis;

import dev.rendezvous.support.RedisServer;
import dev.rendezvous.support.Replication;
import dev.rendezvous.support.Wiring;
import io.vertx.core.Context;
import io.vertx.core.VertxOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Figures for docs/redis.md, not a test of the suite (its name matches none of Surefire's default
 * patterns): what {@code replica-acks=1} costs a state change against a primary with one replica on
 * loopback, one change at a time (latency) and 64 at a time (throughput, and Redis's CPU per change).
 * Run it alone:
 *
 * <pre>./mvnw -B -ntp test -Dtest=ReplicaAcksMeasure -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class ReplicaAcksMeasure {

    private static final Logger LOG = Logger.getLogger(ReplicaAcksMeasure.class);
    private static final RedisScripts.Script CHANGE = new RedisScripts.Script(
            "redis.call('HSET', KEYS[1], 's', ARGV[1]) redis.call('PEXPIRE', KEYS[1], 60000) return 1");
    private static final int SEQUENTIAL = 3_000;
    private static final int CONCURRENT = 64;
    private static final int CONCURRENT_TOTAL = 30_000;
    private static final int POOL_SIZE = 16;

    private RedisServer primary;
    private RedisServer replica;
    private Vertx vertx;
    private Redis client;

    @AfterEach
    void stop() {
        client.close();
        vertx.closeAndAwait();
        replica.stop();
        primary.stop();
    }

    @Test
    void measuresAChangeWithAndWithoutAReplicasAcknowledgement() throws Exception {
        primary = RedisServer.start();
        replica = RedisServer.startReplicaOf(primary);
        Replication.awaitCounted(primary, 1);
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        client = Redis.createClient(
                vertx,
                new RedisOptions()
                        .setConnectionString(primary.url())
                        .setMaxPoolSize(POOL_SIZE)
                        .setMaxPoolWaiting(10_000));
        Context loop = RedisLanesTest.eventLoops(vertx, 1).get(0);
        for (int round = 0; round < 3; round++) {
            for (String acks : List.of("0", "1")) {
                RedisCommands commands = new RedisCommands(
                        new RedisLanes(() -> client, vertx, POOL_SIZE, LaneMark.SESSION),
                        Wiring.config("rendezvous.redis.replica-acks", acks).redis());
                measure(commands, loop, "replica-acks=" + acks + " round " + round);
            }
        }
    }

    private void measure(RedisCommands commands, Context loop, String label) throws Exception {
        long[] latencies = new long[SEQUENTIAL];
        for (int i = 0; i < SEQUENTIAL; i++) {
            long started = System.nanoTime();
            change(commands, loop, "sequential:" + i).get(10, TimeUnit.SECONDS);
            latencies[i] = System.nanoTime() - started;
        }
        Arrays.sort(latencies);

        double cpuBefore = redisCpuSeconds();
        long started = System.nanoTime();
        AtomicInteger issued = new AtomicInteger();
        CompletableFuture<?>[] workers = new CompletableFuture<?>[CONCURRENT];
        for (int w = 0; w < CONCURRENT; w++) {
            workers[w] = worker(commands, loop, issued);
        }
        CompletableFuture.allOf(workers).get(120, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpuMicros = (redisCpuSeconds() - cpuBefore) * 1e6 / CONCURRENT_TOTAL;
        LOG.infof(
                "%s: one at a time p50 %.0f us, p99 %.0f us; %d at a time %.0f changes/s, Redis CPU %.1f us/change",
                label,
                latencies[SEQUENTIAL / 2] / 1e3,
                latencies[SEQUENTIAL * 99 / 100] / 1e3,
                CONCURRENT,
                CONCURRENT_TOTAL / seconds,
                cpuMicros);
    }

    /** Changes one after another until {@link #CONCURRENT_TOTAL} are issued in all. */
    private CompletableFuture<Void> worker(RedisCommands commands, Context loop, AtomicInteger issued) {
        int n = issued.getAndIncrement();
        if (n >= CONCURRENT_TOTAL) {
            return CompletableFuture.completedFuture(null);
        }
        return change(commands, loop, "concurrent:" + n).thenCompose(done -> worker(commands, loop, issued));
    }

    /** One change, sent from {@code loop} as a request's would be (on its lane, unless it waits for replicas). */
    private static CompletableFuture<Void> change(RedisCommands commands, Context loop, String key) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.runOnContext(ignored -> commands.change(CHANGE, new String[] {key}, "v")
                .subscribe()
                .with(answer -> done.complete(null), done::completeExceptionally));
        return done;
    }

    /** The primary's CPU time so far, system and user, from {@code INFO cpu}. */
    private double redisCpuSeconds() {
        return String.valueOf(primary.command("INFO", "cpu"))
                .lines()
                .filter(line -> line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:"))
                .mapToDouble(line ->
                        Double.parseDouble(line.substring(line.indexOf(':') + 1).strip()))
                .sum();
    }
}
