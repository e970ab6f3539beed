package dev.rendezvous.redis;

import dev.rendezvous.support.RedisServer;
import io.vertx.core.Context;
import io.vertx.core.VertxOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.RedisOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Figures for docs/redis.md, not a test of the suite (its name matches none of Surefire's default
 * patterns): how lanes come through a Redis that freezes and through connections that stop
 * answering while Redis is fine, and what opening a lane costs. Run it alone:
 *
 * <pre>./mvnw -B -ntp test -Dtest=RedisLanesRecoveryMeasure -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * <p>Load: the service's settings (pool of 16, so up to 8 lanes; commands time out after 2 s), two
 * event loops each sending a command every 10 ms on its lane, and one other thread sending one
 * every 50 ms through the pool. A real {@code redis-server}, frozen with SIGSTOP; for the stall, a
 * proxy between the client and Redis that stops forwarding on the connections open at that moment
 * (their bytes are swallowed, the sockets stay open) while new connections pass.
 */
class RedisLanesRecoveryMeasure {

    private static final Logger LOG = Logger.getLogger(RedisLanesRecoveryMeasure.class);

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final int POOL_SIZE = 16;
    private static final int LOOPS = 2;
    private static final long LOOP_PERIOD_MS = 10;
    private static final long POOL_PERIOD_MS = 50;

    private final Queue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private RedisServer redis;
    private Vertx vertx;

    private record Sample(boolean lane, long sentAt, long doneAt, boolean ok) {}

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    @Test
    void freeze() throws Exception {
        RedisLanes lanes = start(false);
        Load load = load(lanes);
        Thread.sleep(2000);
        long paused = System.nanoTime();
        redis.pause();
        Thread.sleep(5000);
        long resumed = System.nanoTime();
        redis.resume();
        Thread.sleep(8000);
        load.stop();
        Thread.sleep(TIMEOUT.toMillis() + 200);

        report("freeze 5 s", paused, resumed);
    }

    @Test
    void stall() throws Exception {
        StallingProxy proxy = new StallingProxy();
        RedisLanes lanes = start(true, proxy);
        Load load = load(lanes);
        Thread.sleep(2000);
        int before = openConnections().size();
        long stalled = System.nanoTime();
        int cut = proxy.stallAll();
        Thread.sleep(15000);
        load.stop();
        Thread.sleep(TIMEOUT.toMillis() + 200);

        LOG.infof("RedisLanesRecoveryMeasure stall: %d connection(s) stalled, %d open to Redis then", cut, before);
        report("stall", stalled, stalled);
    }

    @Test
    void laneOpen() throws Exception {
        start(false);
        Redis client = client(redis.port());
        int warmUp = 200;
        int rounds = 500;
        long[] connect = new long[rounds];
        long[] ping = new long[rounds];
        long[] mark = new long[rounds];
        for (int i = -warmUp; i < rounds; i++) {
            long started = System.nanoTime();
            RedisConnection connection = client.connect().await().atMost(TIMEOUT);
            long connected = System.nanoTime();
            connection.send(Request.cmd(Command.PING)).await().atMost(TIMEOUT);
            long pinged = System.nanoTime();
            LaneMark.SESSION.apply(connection).await().atMost(TIMEOUT);
            long marked = System.nanoTime();
            // Marked, so closed rather than pooled: the next round connects anew.
            connection.closeAndForget();
            if (i >= 0) {
                connect[i] = connected - started;
                ping[i] = pinged - connected;
                mark[i] = marked - pinged;
            }
        }
        LOG.infof(
                "RedisLanesRecoveryMeasure lane open over %d rounds (after %d): connect median %d µs (p90 %d);"
                        + " then a PING median %d µs (p90 %d); then the mark median %d µs (p90 %d)",
                rounds,
                warmUp,
                percentile(connect, 50) / 1000,
                percentile(connect, 90) / 1000,
                percentile(ping, 50) / 1000,
                percentile(ping, 90) / 1000,
                percentile(mark, 50) / 1000,
                percentile(mark, 90) / 1000);
    }

    private void report(String scenario, long faultAt, long endedAt) {
        for (boolean lane : new boolean[] {true, false}) {
            List<Sample> mine = samples.stream().filter(s -> s.lane == lane).toList();
            long failed = mine.stream().filter(s -> !s.ok).count();
            long failedAfter =
                    mine.stream().filter(s -> !s.ok && s.sentAt > endedAt).count();
            long lastFailure = mine.stream()
                    .filter(s -> !s.ok)
                    .mapToLong(Sample::sentAt)
                    .max()
                    .orElse(faultAt);
            long firstAnswer = mine.stream()
                    .filter(s -> s.ok && s.doneAt > endedAt)
                    .mapToLong(Sample::doneAt)
                    .min()
                    .orElse(-1);
            long end = mine.stream().mapToLong(Sample::sentAt).max().orElse(faultAt);
            long lastSeconds =
                    mine.stream().filter(s -> s.sentAt > end - 3_000_000_000L).count();
            long lastSecondsFailed = mine.stream()
                    .filter(s -> !s.ok && s.sentAt > end - 3_000_000_000L)
                    .count();
            LOG.infof(
                    "RedisLanesRecoveryMeasure %s, %s: %d sent, %d failed (%d sent after the fault ended);"
                            + " last failed one sent %d ms after the fault %s; first answer %s;"
                            + " last 3 s: %d of %d failed",
                    scenario,
                    lane ? "lanes" : "pool",
                    mine.size(),
                    failed,
                    failedAfter,
                    (lastFailure - endedAt) / 1_000_000,
                    endedAt == faultAt ? "began" : "ended",
                    firstAnswer < 0 ? "none" : ((firstAnswer - endedAt) / 1_000_000) + " ms after it",
                    lastSecondsFailed,
                    lastSeconds);
        }
        LOG.infof(
                "RedisLanesRecoveryMeasure %s: %d connection(s) open to Redis at the end",
                scenario, openConnections().size());
    }

    /** The clients Redis lists, but for the one asking. */
    private List<String> openConnections() {
        return Arrays.stream(String.valueOf(redis.command("CLIENT", "LIST")).split("\n"))
                .filter(line -> !line.isBlank() && !line.contains("cmd=client|list"))
                .toList();
    }

    private RedisLanes start(boolean proxied, StallingProxy... proxy) {
        redis = RedisServer.start();
        closing.add(redis);
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(LOOPS));
        closing.add(() -> vertx.closeAndAwait());
        int port = redis.port();
        if (proxied) {
            proxy[0].start(port);
            closing.add(proxy[0]);
            port = proxy[0].port();
        }
        Redis client = client(port);
        return new RedisLanes(() -> client, vertx, POOL_SIZE, LaneMark.SESSION);
    }

    private Redis client(int port) {
        Redis client = Redis.createClient(
                vertx,
                new RedisOptions()
                        .setConnectionString("redis://127.0.0.1:" + port)
                        .setMaxPoolSize(POOL_SIZE)
                        .setMaxPoolWaiting(10_000)
                        .setMaxWaitingHandlers(10_000));
        closing.add(client::close);
        return client;
    }

    /** Warms every path up with one command each, then starts the load. */
    private Load load(RedisLanes lanes) throws Exception {
        Load load = new Load();
        List<Context> loops = RedisLanesTest.eventLoops(vertx, LOOPS);
        for (Context loop : loops) {
            CompletableFuture<Object> warm = new CompletableFuture<>();
            loop.runOnContext(ignored -> lanes.send(Request.cmd(Command.PING), TIMEOUT)
                    .subscribe()
                    .with(warm::complete, warm::completeExceptionally));
            warm.get(10, TimeUnit.SECONDS);
        }
        lanes.send(Request.cmd(Command.PING), TIMEOUT).await().atMost(TIMEOUT);
        for (Context loop : loops) {
            loop.runOnContext(ignored ->
                    load.timers.add(vertx.getDelegate().setPeriodic(LOOP_PERIOD_MS, id -> send(lanes, true))));
        }
        load.pool.scheduleAtFixedRate(() -> send(lanes, false), 0, POOL_PERIOD_MS, TimeUnit.MILLISECONDS);
        return load;
    }

    private void send(RedisLanes lanes, boolean lane) {
        long sentAt = System.nanoTime();
        lanes.send(Request.cmd(Command.INCR).arg("measure"), TIMEOUT)
                .subscribe()
                .with(
                        ok -> samples.add(new Sample(lane, sentAt, System.nanoTime(), true)),
                        failed -> samples.add(new Sample(lane, sentAt, System.nanoTime(), false)));
    }

    private static long percentile(long[] values, int percent) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percent / 100)];
    }

    private final class Load {
        final List<Long> timers = new CopyOnWriteArrayList<>();
        final ScheduledExecutorService pool = Executors.newSingleThreadScheduledExecutor();

        void stop() {
            timers.forEach(id -> vertx.getDelegate().cancelTimer(id));
            pool.shutdownNow();
        }
    }

    /**
     * A loopback TCP proxy to Redis. {@link #stallAll()} makes the connections open at that moment
     * stop forwarding in both directions, as a connection whose peer stopped answering does, while
     * their sockets stay open and later connections pass.
     */
    private static final class StallingProxy implements AutoCloseable {

        private final List<Pair> pairs = new CopyOnWriteArrayList<>();
        private ServerSocket server;

        void start(int redisPort) {
            try {
                server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread accepting = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket downstream = server.accept();
                        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), redisPort);
                        Pair pair = new Pair(downstream, upstream);
                        pairs.add(pair);
                        pair.pump(downstream, upstream);
                        pair.pump(upstream, downstream);
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            accepting.setDaemon(true);
            accepting.start();
        }

        int port() {
            return server.getLocalPort();
        }

        int stallAll() {
            pairs.forEach(pair -> pair.stalled = true);
            return pairs.size();
        }

        @Override
        public void close() throws IOException {
            server.close();
            pairs.forEach(Pair::close);
        }

        private static final class Pair {
            final Socket downstream;
            final Socket upstream;
            volatile boolean stalled;

            Pair(Socket downstream, Socket upstream) {
                this.downstream = downstream;
                this.upstream = upstream;
            }

            void pump(Socket from, Socket to) {
                Thread pumping = new Thread(() -> {
                    byte[] buffer = new byte[16384];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int read;
                        while ((read = in.read(buffer)) >= 0) {
                            if (!stalled) {
                                out.write(buffer, 0, read);
                            }
                        }
                    } catch (IOException closed) {
                        // Either side went away: close both below.
                    }
                    close();
                });
                pumping.setDaemon(true);
                pumping.start();
            }

            void close() {
                try {
                    downstream.close();
                    upstream.close();
                } catch (IOException ignored) {
                    // Closing anyway.
                }
            }
        }
    }
}
