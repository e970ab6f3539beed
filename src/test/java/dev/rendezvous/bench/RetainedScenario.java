package dev.rendezvous.bench;

import dev.rendezvous.bench.BenchClient.Correlation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Locale;

/**
 * Scenario 3: M correlations created and completed with a result that nobody consumes, as a service
 * holds them until their TTL ends. Reports the services' live heap (after a full GC) per retained
 * correlation and, in Redis modes, Redis's {@code used_memory} per correlation; and, for the store
 * that holds them (heap in memory mode, Redis otherwise), that figure minus the body it keeps. Runs
 * last, as nothing but the TTL removes what it leaves.
 */
final class RetainedScenario {

    private static final int IN_FLIGHT = 64;

    /** Memory in bytes; -1 where unknown. */
    record Result(
            int correlations,
            int bodyBytes,
            double setupSeconds,
            long baselineHeapBytes,
            long retainedHeapBytes,
            double heapBytesPerCorrelation,
            long baselineRedisBytes,
            long retainedRedisBytes,
            double redisBytesPerCorrelation,
            String store,
            double storeBytesOverBody,
            long errors,
            List<String> errorSamples) {}

    private RetainedScenario() {}

    static Result run(Target target, Settings settings, Vertx vertx, String prefix) {
        try (BenchClient client = new BenchClient(vertx, IN_FLIGHT + 2)) {
            return measure(target, settings, client, prefix);
        }
    }

    private static Result measure(Target target, Settings settings, BenchClient client, String prefix) {
        int m = settings.retained();
        Errors errors = new Errors();
        long baselineHeap = target.appLiveHeapBytes();
        long baselineRedis = target.redisUsedMemoryBytes();

        long start = System.nanoTime();
        Correlation[] correlations = WaiterScenario.createAll(target, client, prefix, m, settings.bodyBytes());
        List<Future<Integer>> delivered =
                Bulk.run(m, IN_FLIGHT, i -> client.deliver(target.deliverBase, correlations[i]));
        double setupSeconds = (System.nanoTime() - start) / 1e9;
        for (int i = 0; i < m; i++) {
            Future<Integer> answer = delivered.get(i);
            if (answer.failed()) {
                errors.add("deliver " + correlations[i].id() + ": " + answer.cause());
            } else if (answer.result() != 204) {
                errors.add("deliver " + correlations[i].id() + " answered " + answer.result());
            }
        }
        System.out.printf(
                Locale.ROOT,
                "[bench] %s: %d completed correlations retained in %.2f s%n",
                target.mode,
                m,
                setupSeconds);

        long retainedHeap = target.appLiveHeapBytes();
        long retainedRedis = target.redisUsedMemoryBytes();
        // What the service stores per result is the body it was sent; ExchangeScenario.body pads to this size.
        int body = correlations.length == 0 ? settings.bodyBytes() : correlations[0].body().length;
        boolean heapKnown = baselineHeap >= 0 && retainedHeap >= 0;
        double heapPer = heapKnown ? (retainedHeap - baselineHeap) / (double) m : -1;
        // Where the correlations live, and so what the per-correlation target applies to.
        boolean inRedis = baselineRedis >= 0 && retainedRedis >= 0;
        double redisPer = inRedis ? (retainedRedis - baselineRedis) / (double) m : -1;
        return new Result(
                m,
                body,
                setupSeconds,
                baselineHeap,
                retainedHeap,
                heapPer,
                baselineRedis,
                retainedRedis,
                redisPer,
                inRedis ? "redis" : "heap",
                inRedis ? redisPer - body : heapKnown ? heapPer - body : -1,
                errors.count(),
                errors.samples());
    }
}
