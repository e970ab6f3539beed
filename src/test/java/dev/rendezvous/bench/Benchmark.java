package dev.rendezvous.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The project's benchmark (docs/benchmark.md): for each mode, starts the packaged application (or
 * measures the one given by {@code -Dbench.url}), runs the exchange, held-waiter and retained scenarios, prints
 * a table, and writes {@code results.json} and a PNG chart. Not a pass/fail test: it fails only when
 * it cannot run.
 */
public final class Benchmark {

    /** Longest wait for the correlations consumed by a scenario to expire (10 s with the shipped defaults). */
    private static final Duration CONSUMED_EXPIRY_LIMIT = Duration.ofSeconds(60);

    /**
     * The figures of one mode: {@code cold} are the held waiters right after start (null if none ran); a
     * peer has no retained scenario, and held waiters only where it counts them.
     */
    public record ModeResult(
            String mode,
            WaiterScenario.Result cold,
            ExchangeScenario.Result exchanges,
            WaiterScenario.Result waiters,
            RetainedScenario.Result retained,
            List<String> serverLogComplaints) {

        public long errors() {
            return exchanges.errors()
                    + (cold == null ? 0 : cold.errors())
                    + (waiters == null ? 0 : waiters.errors())
                    + (retained == null ? 0 : retained.errors());
        }
    }

    /** The figures of every mode of a run. */
    public record Report(
            String startedAt, Map<String, Object> machine, Map<String, Object> settings, List<ModeResult> modes) {}

    private Benchmark() {}

    public static void main(String[] args) {
        // JBoss LogManager is on the test classpath; unless it is JUL's manager from the start, the JDK
        // prints an ERROR about it that reads as if the benchmark had failed.
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        }
        run(Settings.fromSystemProperties().withAotCache());
    }

    /** Runs every mode of {@code settings} and writes its figures; answers them for the smoke test. */
    static Report run(Settings settings) {
        String startedAt = Instant.now().toString();
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(Math.max(1, settings.clientThreads()))
                .setFileSystemOptions(
                        new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
        try {
            List<ModeResult> results = runModes(settings, vertx);
            Report report = new Report(startedAt, machine(), settingsMap(settings), results);
            System.out.println();
            System.out.println(Tables.of(report));
            write(report, settings);
            return report;
        } finally {
            close(vertx);
        }
    }

    private static List<ModeResult> runModes(Settings settings, Vertx vertx) {
        String runId = Long.toString(System.currentTimeMillis(), 36);
        List<ModeResult> results = new ArrayList<>();
        List<String> modes = settings.url() != null ? List.of("external") : settings.modes();
        for (String mode : modes) {
            System.out.printf(Locale.ROOT, "%n[bench] %s: starting%n", mode);
            try (Target target = settings.url() != null
                    ? Target.external(settings.url(), settings.pid(), settings.peer())
                    : Target.start(mode, settings)) {
                results.add(
                        target.isService()
                                ? runService(target, settings, vertx, runId)
                                : runPeer(target, settings, vertx, runId));
            }
        }
        return results;
    }

    private static ModeResult runService(Target target, Settings settings, Vertx vertx, String runId) {
        String mode = target.mode;
        WaiterScenario.Result cold = null;
        if (settings.coldWaiters() > 0 && settings.url() == null) {
            // First, before anything warms the JVM up: what a user's first burst after a start meets
            // (a service the benchmark did not start is not cold).
            System.out.printf(
                    Locale.ROOT,
                    "[bench] %s: cold start, %d held waiters, delivered at %d/s%n",
                    mode,
                    settings.coldWaiters(),
                    settings.rate());
            cold = WaiterScenario.run(
                    target,
                    settings,
                    vertx,
                    "c" + runId + mode,
                    settings.coldWaiters(),
                    WaiterScenario.Readings.RSS_ONLY);
        }
        announceExchanges(mode, settings);
        long keysBefore = target.redisKeys();
        ExchangeScenario.Result exchanges = ExchangeScenario.run(target, settings, vertx, "x" + runId + mode);
        // Held waiters after the exchanges, so that the JIT is warm for their deliveries.
        System.out.printf(
                Locale.ROOT,
                "[bench] %s: %d held waiters, delivered at %d/s (%s)%n",
                mode,
                settings.waiters(),
                settings.rate(),
                target.crossReplica() ? WaiterScenario.CROSS_REPLICA : WaiterScenario.SAME_INSTANCE);
        awaitConsumedExpired(target, keysBefore, "the exchanges'");
        WaiterScenario.Result waiters = WaiterScenario.run(target, settings, vertx, "w" + runId + mode);
        // Last: only the TTL removes what this one leaves behind.
        System.out.printf(
                Locale.ROOT,
                "[bench] %s: %d retained completed correlations of %d B%n",
                mode,
                settings.retained(),
                settings.bodyBytes());
        awaitConsumedExpired(target, keysBefore, "the held waiters'");
        RetainedScenario.Result retained = RetainedScenario.run(target, settings, vertx, "r" + runId + mode);
        return new ModeResult(mode, cold, exchanges, waiters, retained, target.logComplaints());
    }

    /**
     * A peer speaks another protocol and keeps no results to retain: the exchanges run against it, and
     * the held waiters where it counts them.
     */
    private static ModeResult runPeer(Target target, Settings settings, Vertx vertx, String runId) {
        announceExchanges(target.mode, settings);
        ExchangeScenario.Result exchanges = ExchangeScenario.run(target, settings, vertx, "x" + runId + target.mode);
        WaiterScenario.Result waiters = null;
        if (target.api.heldPath() != null) {
            System.out.printf(
                    Locale.ROOT,
                    "[bench] %s: %d held waiters, delivered at %d/s%n",
                    target.mode,
                    settings.waiters(),
                    settings.rate());
            waiters = WaiterScenario.run(target, settings, vertx, "w" + runId + target.mode);
        }
        return new ModeResult(target.mode, null, exchanges, waiters, null, List.of());
    }

    /**
     * In the Redis modes, lets the correlations that the scenario before consumed expire first, until
     * Redis holds no more keys than before the first scenario, so that Redis expiring them does not
     * stall the next one (see {@link Target#awaitRedisKeysAtMost}).
     */
    private static void awaitConsumedExpired(Target target, long keysBefore, String whose) {
        if (keysBefore < 0) {
            return;
        }
        long started = System.nanoTime();
        long keys = target.awaitRedisKeysAtMost(keysBefore, CONSUMED_EXPIRY_LIMIT);
        System.out.printf(
                Locale.ROOT,
                "[bench] %s: waited %.1f s for %s consumed correlations to expire (%d keys left, %d before)%n",
                target.mode,
                (System.nanoTime() - started) / 1e9,
                whose,
                keys,
                keysBefore);
    }

    private static void announceExchanges(String mode, Settings settings) {
        System.out.printf(
                Locale.ROOT,
                "[bench] %s: exchanges, %d clients, at least %d s warm-up + %d s%n",
                mode,
                settings.clients(),
                settings.warmupSeconds(),
                settings.seconds());
    }

    private static void close(Vertx vertx) {
        try {
            Bulk.await(vertx.close(), 30);
        } catch (ExecutionException | TimeoutException e) {
            System.out.println("[bench] could not close the client's Vert.x: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void write(Report report, Settings settings) {
        try {
            Files.createDirectories(settings.outDir());
            Path json = settings.outDir().resolve("results.json");
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
            if (settings.peer() != BenchClient.Api.RENDEZVOUS) {
                // The chart shows this service's modes; a peer's run must not replace it.
                System.out.println("[bench] wrote " + json);
                return;
            }
            Path chart = settings.chart();
            if (chart.getParent() != null) {
                Files.createDirectories(chart.getParent());
            }
            Chart.render(report, chart);
            System.out.println("[bench] wrote " + json + " and " + chart);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        return machine;
    }

    private static Map<String, Object> settingsMap(Settings settings) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("url", settings.url() == null ? null : settings.url().toString());
        map.put("peer", settings.peer().label());
        map.put("clients", settings.clients());
        map.put("warmupSeconds", settings.warmupSeconds());
        map.put("seconds", settings.seconds());
        map.put("waitSeconds", ExchangeScenario.WAIT_SECONDS);
        map.put("waiters", settings.waiters());
        map.put("coldWaiters", settings.coldWaiters());
        map.put("rate", settings.rate());
        map.put("retained", settings.retained());
        map.put("clientThreads", settings.clientThreads());
        map.put("javaHome", settings.runtime().home().toString());
        map.put("serviceJava", settings.runtime().feature());
        map.put("serviceJvmOptions", settings.runtime().launchOptions());
        map.put("aotTraining", settings.aotTraining());
        map.put("bodyBytes", settings.bodyBytes());
        map.put("appConfig", settings.appConfig());
        return map;
    }
}
