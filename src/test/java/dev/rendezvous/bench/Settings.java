package dev.rendezvous.bench;

import dev.rendezvous.support.AotCache;
import dev.rendezvous.support.JvmRuntime;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one benchmark run does, read from {@code -Dbench.*} system properties (see docs/benchmark.md).
 *
 * @param url an already running service to measure instead of starting the packaged jar, or null
 * @param pid that service's process ID, to read its CPU time and RSS from {@code /proc}, or 0
 * @param peer the protocol of the server at {@code url}: {@code rendezvous}, or {@code piping} for a
 *     piping-server, measured by the exchange scenario alone
 * @param coldWaiters long-polls held and delivered right after a service starts, before anything warms
 *     it up (0: none)
 * @param retained completed correlations left unconsumed in the retained scenario
 * @param clientThreads event loops of the benchmark's HTTP client
 * @param runtime the JDK or JRE every service the benchmark starts runs on ({@code bench.java-home}; by
 *     default an installed runtime of the version the image ships, else the benchmark's own), started
 *     with the options the project ships and {@code bench.jvm-options}
 * @param aotTraining exchanges of the AOT cache's training run ({@code bench.aot-training}; 0: no cache)
 * @param appConfig configuration given to every service the benchmark starts ({@code -Dbench.app.<key>=<value>})
 */
record Settings(
        URI url,
        long pid,
        BenchClient.Api peer,
        List<String> modes,
        int clients,
        int warmupSeconds,
        int seconds,
        int waiters,
        int coldWaiters,
        int rate,
        int retained,
        int bodyBytes,
        int clientThreads,
        Path outDir,
        Path chart,
        JvmRuntime runtime,
        int aotTraining,
        Map<String, String> appConfig) {

    private static final String APP_CONFIG = "bench.app.";

    static Settings fromSystemProperties() {
        String url = System.getProperty("bench.url", "");
        return new Settings(
                url.isBlank() ? null : URI.create(url.endsWith("/") ? url : url + "/"),
                Long.getLong("bench.pid", 0),
                peer(System.getProperty("bench.peer", "rendezvous"), url),
                Arrays.stream(System.getProperty("bench.modes", "memory").split(","))
                        .map(String::strip)
                        .filter(mode -> !mode.isEmpty())
                        .toList(),
                Integer.getInteger("bench.clients", 64),
                Integer.getInteger("bench.warmup", 20),
                Integer.getInteger("bench.seconds", 30),
                Integer.getInteger("bench.waiters", 10_000),
                Integer.getInteger("bench.cold-waiters", 5_000),
                Integer.getInteger("bench.rate", 2000),
                Integer.getInteger("bench.retained", 20_000),
                Integer.getInteger("bench.body-bytes", 256),
                Integer.getInteger("bench.client-threads", 1),
                Path.of(System.getProperty("bench.out", "target/bench")),
                Path.of(System.getProperty("bench.chart", "docs/benchmark.png")),
                runtime(System.getProperty("bench.java-home", ""))
                        .withOptions(words(System.getProperty("bench.jvm-options", ""))),
                Integer.getInteger("bench.aot-training", 10_000),
                appConfigFromProperties());
    }

    /**
     * These settings, with the services on {@link #runtime()} started with an AOT cache trained as the
     * image's build trains it, where the image has one: on Java 25 or later, for services it starts.
     */
    Settings withAotCache() {
        boolean startsServices = url == null && !modes.stream().allMatch(Settings::isPeer);
        if (!startsServices || aotTraining == 0 || runtime.feature() < AotCache.SINCE) {
            return this;
        }
        long start = System.nanoTime();
        JvmRuntime trained = AotCache.train(runtime, aotTraining);
        System.out.printf(
                Locale.ROOT,
                "[bench] AOT cache trained with %d exchanges in %.1f s%n",
                aotTraining,
                (System.nanoTime() - start) / 1e9);
        return new Settings(
                url,
                pid,
                peer,
                modes,
                clients,
                warmupSeconds,
                seconds,
                waiters,
                coldWaiters,
                rate,
                retained,
                bodyBytes,
                clientThreads,
                outDir,
                chart,
                trained,
                aotTraining,
                appConfig);
    }

    private static BenchClient.Api peer(String name, String url) {
        BenchClient.Api peer;
        try {
            peer = BenchClient.Api.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bench.peer=" + name + ": rendezvous, piping or nchan", e);
        }
        if (peer != BenchClient.Api.RENDEZVOUS && url.isBlank()) {
            throw new IllegalArgumentException("bench.peer=" + name + " measures a running server: give bench.url");
        }
        return peer;
    }

    /** Whether {@code mode} starts a peer (its mode is the peer's API label), not this service. */
    private static boolean isPeer(String mode) {
        return Arrays.stream(BenchClient.Api.values())
                .anyMatch(
                        api -> api != BenchClient.Api.RENDEZVOUS && api.label().equals(mode));
    }

    private static JvmRuntime runtime(String javaHome) {
        if (!javaHome.isBlank()) {
            return JvmRuntime.at(Path.of(javaHome));
        }
        return JvmRuntime.shipped().orElseGet(() -> {
            System.out.println("[bench] no Java " + JvmRuntime.shippedFeature()
                    + " (the image's runtime) under /usr/lib/jvm: services run on the benchmark's own Java "
                    + JvmRuntime.current().feature());
            return JvmRuntime.current();
        });
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.strip().split("\\s+"))
                .filter(word -> !word.isEmpty())
                .toList();
    }

    private static Map<String, String> appConfigFromProperties() {
        Map<String, String> config = new TreeMap<>();
        System.getProperties().forEach((key, value) -> {
            if (key.toString().startsWith(APP_CONFIG)) {
                config.put(key.toString().substring(APP_CONFIG.length()), value.toString());
            }
        });
        return config;
    }
}
