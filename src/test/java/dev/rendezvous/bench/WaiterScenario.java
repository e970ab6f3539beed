package dev.rendezvous.bench;

import dev.rendezvous.bench.BenchClient.Correlation;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Scenario 2: N idle long-polls held at once, then every result delivered at a fixed rate R. Reports
 * the server's RSS and live heap (after a full GC) per held waiter, delivery latency (from sending a
 * result to its waiter's answer) and the drain time (first delivery sent to last waiter answered).
 */
final class WaiterScenario {

    private static final Pattern LONG_POLLS =
            Pattern.compile("(?m)^rendezvous_waiting\\{[^}]*kind=\"long-poll\"[^}]*} ([0-9.E+]+)");
    private static final long REGISTER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** Memory in bytes, latencies in microseconds; -1 where unknown. */
    record Result(
            int waiters,
            int rate,
            boolean allRegistered,
            long baselineRssKiB,
            long heldRssKiB,
            double rssBytesPerWaiter,
            long baselineHeapBytes,
            long heldHeapBytes,
            double heapBytesPerWaiter,
            long drainedHeapBytes,
            long p50Micros,
            long p90Micros,
            long p99Micros,
            long maxMicros,
            double drainSeconds,
            long errors,
            List<String> errorSamples) {}

    private final Histogram latency = new ConcurrentHistogram(3);
    private final AtomicLong errors = new AtomicLong();
    private final Queue<String> errorSamples = new ConcurrentLinkedQueue<>();

    static Result run(Target target, Settings settings, BenchClient client, String prefix) {
        return new WaiterScenario().measure(target, settings, client, prefix);
    }

    private Result measure(Target target, Settings settings, BenchClient client, String prefix) {
        int n = settings.waiters();
        int rate = settings.rate();
        int waitSeconds = (int) Math.min(300, 60 + (long) n / Math.max(1, rate));
        // RSS is read right after the full GC of each heap reading, so that both readings see a collected heap.
        long baselineHeap = target.waiterLiveHeapBytes();
        long baselineRss = target.waiterRssKiB();

        Correlation[] correlations = createAll(target, client, prefix, n, settings.bodyBytes());
        List<CompletableFuture<HttpResponse<byte[]>>> waits = new ArrayList<>(n);
        for (Correlation correlation : correlations) {
            waits.add(client.await(target.waitBase, correlation, waitSeconds));
        }
        boolean registered = awaitRegistered(target, client, n, waits);
        long heldHeap = target.waiterLiveHeapBytes();
        long heldRss = target.waiterRssKiB();

        AtomicLongArray sentAt = new AtomicLongArray(n);
        AtomicLong lastAnswer = new AtomicLong(Long.MIN_VALUE);
        CountDownLatch answered = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            int index = i;
            waits.get(i).whenComplete((answer, failure) -> {
                long now = System.nanoTime();
                lastAnswer.accumulateAndGet(now, Math::max);
                if (failure != null) {
                    error("wait for " + correlations[index].id() + ": " + failure);
                } else {
                    String problem = BenchClient.checkResult(answer, correlations[index]);
                    long sent = sentAt.get(index);
                    if (problem != null) {
                        error(problem);
                    } else if (sent == 0) {
                        error("wait for " + correlations[index].id() + " answered before its delivery");
                    } else {
                        latency.recordValue((now - sent) / 1000);
                    }
                }
                answered.countDown();
            });
        }

        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(daemon("bench-pacer"));
        AtomicInteger next = new AtomicInteger();
        long firstSend = System.nanoTime();
        ScheduledFuture<?> pacing = pacer.scheduleAtFixedRate(
                () -> {
                    long due = Math.min(n, (System.nanoTime() - firstSend) * rate / 1_000_000_000L + 1);
                    for (int i = next.get(); i < due; i = next.incrementAndGet()) {
                        Correlation correlation = correlations[i];
                        sentAt.set(i, System.nanoTime());
                        client.deliver(target.deliverBase, correlation).whenComplete((answer, failure) -> {
                            if (failure != null) {
                                error("deliver " + correlation.id() + ": " + failure);
                            } else if (answer.statusCode() != 204) {
                                error("deliver " + correlation.id() + " answered " + answer.statusCode());
                            }
                        });
                    }
                },
                0,
                1,
                TimeUnit.MILLISECONDS);
        try {
            if (!answered.await(waitSeconds + 60L, TimeUnit.SECONDS)) {
                error(answered.getCount() + " waiters never answered");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while draining waiters", e);
        } finally {
            pacing.cancel(false);
            pacer.shutdownNow();
        }
        double drainSeconds = (lastAnswer.get() - firstSend) / 1e9;
        long drainedHeap = target.waiterLiveHeapBytes();
        return new Result(
                n,
                rate,
                registered,
                baselineRss,
                heldRss,
                baselineRss < 0 || heldRss < 0 ? -1 : (heldRss - baselineRss) * 1024.0 / n,
                baselineHeap,
                heldHeap,
                baselineHeap < 0 || heldHeap < 0 ? -1 : (heldHeap - baselineHeap) / (double) n,
                drainedHeap,
                latency.getValueAtPercentile(50),
                latency.getValueAtPercentile(90),
                latency.getValueAtPercentile(99),
                latency.getMaxValue(),
                drainSeconds,
                errors.get(),
                List.copyOf(errorSamples));
    }

    private Correlation[] createAll(Target target, BenchClient client, String prefix, int n, int bodyBytes) {
        ExecutorService pool = Executors.newFixedThreadPool(8, daemon("bench-create"));
        try {
            List<Future<Correlation>> created = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String id = prefix + "-" + i;
                created.add(
                        pool.submit(() -> client.create(target.waitBase, id, ExchangeScenario.body(id, bodyBytes))));
            }
            Correlation[] correlations = new Correlation[n];
            for (int i = 0; i < n; i++) {
                correlations[i] = created.get(i).get();
            }
            return correlations;
        } catch (Exception e) {
            throw new IllegalStateException("could not create the correlations to wait for", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Polls the server's long-poll gauge until it shows all {@code n} waiters held. */
    private boolean awaitRegistered(
            Target target, BenchClient client, int n, List<CompletableFuture<HttpResponse<byte[]>>> waits) {
        long deadline = System.nanoTime() + REGISTER_TIMEOUT_NANOS;
        while (System.nanoTime() - deadline < 0) {
            String metrics = client.getText(target.waitBase.resolve("q/metrics"));
            if (metrics != null) {
                Matcher matcher = LONG_POLLS.matcher(metrics);
                if (matcher.find() && Double.parseDouble(matcher.group(1)) >= n) {
                    return true;
                }
            }
            if (waits.stream().anyMatch(CompletableFuture::isDone)) {
                error("a waiter was answered before any delivery");
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        error("the server never showed " + n + " held long-polls");
        return false;
    }

    private void error(String message) {
        errors.incrementAndGet();
        if (errorSamples.size() < 10) {
            errorSamples.add(message);
        }
    }

    static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
