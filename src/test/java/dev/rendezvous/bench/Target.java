package dev.rendezvous.bench;

import dev.rendezvous.support.PeerServer;
import dev.rendezvous.support.Replica;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.LongUnaryOperator;

/**
 * The service under test in one mode: {@code memory} (one packaged jar), {@code redis} (one jar and a
 * private redis-server), {@code redis-2} (two jars on one redis-server: waiters on the first,
 * callbacks on the second), {@code redis-cluster} (two jars, as in redis-2, on a private Redis
 * Cluster of three primaries), {@code nchan} or {@code piping} (a peer, started here), or an already
 * running service or peer given by URL.
 */
final class Target implements AutoCloseable {

    /** How often the key count is read while waiting for it to fall. */
    private static final Duration KEY_COUNT_PERIOD = Duration.ofMillis(250);

    /** As many shards as the API suites' cluster; more would only share the same two cores. */
    private static final int CLUSTER_PRIMARIES = 3;

    final String mode;
    /** The protocol the target speaks: this service's, or a peer's. */
    final BenchClient.Api api;
    /** Where correlations are created and waited for. */
    final URI waitBase;
    /** Where results are delivered. */
    final URI deliverBase;
    /** The service processes, whose CPU time and RSS are measured (empty if unknown). */
    final List<Long> appPids;
    /** The private Redis nodes, none for memory mode or a running service. */
    final RedisNodes redis;

    private final List<Replica> replicas;
    /** What else the target started and stops, such as a peer's server. */
    private final AutoCloseable server;

    private Target(
            String mode,
            BenchClient.Api api,
            URI waitBase,
            URI deliverBase,
            List<Long> appPids,
            List<Replica> replicas,
            RedisNodes redis,
            AutoCloseable server) {
        this.mode = mode;
        this.api = api;
        this.waitBase = waitBase;
        this.deliverBase = deliverBase;
        this.appPids = appPids;
        this.replicas = replicas;
        this.redis = redis;
        this.server = server;
    }

    /** A running server at {@code url} that speaks {@code api}; a peer is reported by its name. */
    static Target external(URI url, long pid, BenchClient.Api api) {
        String mode = api == BenchClient.Api.RENDEZVOUS ? "external" : api.label();
        return new Target(
                mode, api, url, url, pid > 0 ? List.of(pid) : List.of(), List.of(), RedisNodes.none(), () -> {});
    }

    /** A peer started here, in a directory of its own: its processes are the measured ones. */
    static Target peer(BenchClient.Api api, Function<Path, PeerServer> start) {
        PeerServer server;
        try {
            server = start.apply(Files.createTempDirectory("bench-" + api.label() + "-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        URI base = server.baseUri();
        return new Target(api.label(), api, base, base, server.pids(), List.of(), RedisNodes.none(), server);
    }

    /** Starts the services of {@code mode} as {@code settings} say (their JDK, their configuration). */
    static Target start(String mode, Settings settings) {
        return switch (mode) {
            case "memory" -> withReplicas(mode, RedisNodes.none(), 1, settings);
            case "redis" -> withReplicas(mode, RedisNodes.standalone(), 1, settings);
            case "redis-2" -> withReplicas(mode, RedisNodes.standalone(), 2, settings);
            case "redis-cluster" -> withReplicas(mode, RedisNodes.cluster(CLUSTER_PRIMARIES), 2, settings);
            case "nchan" -> peer(BenchClient.Api.NCHAN, PeerServer::nchan);
            case "piping" -> peer(BenchClient.Api.PIPING, PeerServer::piping);
            default ->
                throw new IllegalArgumentException(
                        "unknown mode " + mode + " (memory, redis, redis-2, redis-cluster, nchan, piping)");
        };
    }

    /** {@code count} replicas on {@code redis}: waits on the first, deliveries on the last. */
    private static Target withReplicas(String mode, RedisNodes redis, int count, Settings settings) {
        List<Replica> started = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                started.add(Replica.start(config(redis, settings.appConfig()), settings.runtime()));
            }
        } catch (RuntimeException e) {
            started.forEach(Replica::stop);
            redis.close();
            throw e;
        }
        Replica waits = started.get(0);
        Replica delivers = started.get(started.size() - 1);
        return new Target(
                mode,
                BenchClient.Api.RENDEZVOUS,
                waits.baseUri(),
                delivers.baseUri(),
                started.stream().map(Replica::pid).toList(),
                started,
                redis,
                () -> {});
    }

    private static Map<String, String> config(RedisNodes redis, Map<String, String> appConfig) {
        Map<String, String> config = new LinkedHashMap<>();
        // A benchmark needs no graceful-shutdown delay; everything else is the shipped default
        // unless the run says otherwise.
        config.put("quarkus.shutdown.delay-enabled", "false");
        if (redis.present()) {
            config.put("rendezvous.store", "redis");
            config.putAll(redis.clientConfig());
        }
        config.putAll(appConfig);
        return config;
    }

    /** CPU time of the service processes so far, in nanoseconds; -1 if unknown. */
    long appCpuNanos() {
        return sumOverApps(Proc::cpuNanos);
    }

    /** CPU time so far of the service processes' JIT compiler threads, by thread; null if unknown. */
    Map<String, Long> appJitCpuNanosByThread() {
        if (appPids.isEmpty()) {
            return null;
        }
        Map<String, Long> threads = new HashMap<>();
        for (long pid : appPids) {
            Map<String, Long> compilers = Proc.jitCpuNanosByThread(pid);
            if (compilers == null) {
                return null;
            }
            threads.putAll(compilers);
        }
        return threads;
    }

    /** RSS of the service processes together, in KiB; -1 if unknown. */
    long appRssKiB() {
        return sumOverApps(Proc::rssKiB);
    }

    /** RSS of the processes that hold the waiters (the first replica, or all of a peer's), in KiB; -1 if unknown. */
    long waiterRssKiB() {
        if (!isService()) {
            return appRssKiB();
        }
        return appPids.isEmpty() ? -1 : Proc.rssKiB(appPids.get(0));
    }

    /**
     * Live heap after a full GC of the process that holds the waiters; -1 if unknown or not a JVM
     * (jcmd's attach sends {@code SIGQUIT}, which stops nginx).
     */
    long waiterLiveHeapBytes() {
        return appPids.isEmpty() || !isService() ? -1 : Proc.liveHeapBytes(appPids.get(0));
    }

    /** Whether this is the service (not a peer): a JVM, with its metrics, heap and allocation to read. */
    boolean isService() {
        return api == BenchClient.Api.RENDEZVOUS;
    }

    /** Whether results are delivered to another replica than the one holding the waits. */
    boolean crossReplica() {
        return !waitBase.equals(deliverBase);
    }

    /** Live heap after a full GC of all service processes together; -1 if unknown or not JVMs. */
    long appLiveHeapBytes() {
        return isService() ? sumOverApps(Proc::liveHeapBytes) : -1;
    }

    /** The sum of {@code reading} over the service processes; -1 if there are none or any reading fails. */
    private long sumOverApps(LongUnaryOperator reading) {
        if (appPids.isEmpty()) {
            return -1;
        }
        long total = 0;
        for (long pid : appPids) {
            long value = reading.applyAsLong(pid);
            if (value < 0) {
                return -1;
            }
            total += value;
        }
        return total;
    }

    /** Keys in the private Redis, over all its nodes; -1 without one. */
    long redisKeys() {
        return redis.keys();
    }

    /**
     * Waits, up to {@code limit}, until the private Redis holds at most {@code keys} keys, and
     * answers how many it holds (-1 without one). Correlations that a scenario consumed stay until
     * their grace period ends; Redis expiring tens of thousands of them a second during the next
     * scenario stalls every command of it for up to tens of milliseconds.
     */
    long awaitRedisKeysAtMost(long keys, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        long now = redisKeys();
        while (now > keys && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(KEY_COUNT_PERIOD.toNanos());
            now = redisKeys();
        }
        return now;
    }

    /** Redis's {@code used_memory} (INFO memory) over all its nodes; -1 without a private Redis. */
    long redisUsedMemoryBytes() {
        return redis.usedMemoryBytes();
    }

    /** Lines of the service logs that report a blocked event loop, an error or a warning. */
    List<String> logComplaints() {
        List<String> complaints = new ArrayList<>();
        for (Replica replica : replicas) {
            replica.log()
                    .lines()
                    .filter(line ->
                            line.contains("has been blocked") || line.contains(" ERROR ") || line.contains(" WARN "))
                    .forEach(complaints::add);
        }
        return complaints;
    }

    @Override
    public void close() {
        replicas.forEach(Replica::stop);
        redis.close();
        try {
            server.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the server of " + mode, e);
        }
    }
}
