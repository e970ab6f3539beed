package dev.rendezvous.bench;

import dev.rendezvous.bench.BenchClient.Correlation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Scenario 2: N idle long-polls held at once, then every result delivered at a fixed rate R. Reports
 * how long registering the N took, the server's RSS and live heap (after a full GC) per held waiter
 * and after the drain, delivery latency (from sending a result to its waiter's answer; across
 * replicas in {@code redis-2}) and the drain time (first delivery sent to last waiter answered).
 */
final class WaiterScenario {

    static final String SAME_INSTANCE = "same instance";
    static final String CROSS_REPLICA = "cross-replica wake-up";

    private static final long REGISTER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);
    /** Connects in flight at once (long-polls, delivery connections): well below the accept backlog. */
    private static final int CONNECTS_IN_FLIGHT = 256;
    /** Longest wait for the deliveries' connections to open. */
    private static final long CONNECT_TIMEOUT_SECONDS = 30;

    private static final int CREATES_IN_FLIGHT = 64;
    /** Connections for deliveries beyond the waits: a second's worth at the rate, within the open-files limit. */
    private static final int MAX_DELIVERY_CONNECTIONS = 2000;

    /** Memory in bytes, latencies in microseconds; -1 where unknown. */
    record Result(
            int waiters,
            int rate,
            String deliveryLatency,
            boolean allRegistered,
            double registerSeconds,
            long baselineRssKiB,
            long heldRssKiB,
            double rssBytesPerWaiter,
            long baselineHeapBytes,
            long heldHeapBytes,
            double heapBytesPerWaiter,
            long drainedConnectedHeapBytes,
            long drainedHeapBytes,
            long drainedHeapOverBaselineBytes,
            double cpuMicrosPerDelivery,
            long p50Micros,
            long p90Micros,
            long p99Micros,
            long maxMicros,
            double drainSeconds,
            long errors,
            List<String> errorSamples) {

        Result withDrainedHeap(long drained) {
            return new Result(
                    waiters,
                    rate,
                    deliveryLatency,
                    allRegistered,
                    registerSeconds,
                    baselineRssKiB,
                    heldRssKiB,
                    rssBytesPerWaiter,
                    baselineHeapBytes,
                    heldHeapBytes,
                    heapBytesPerWaiter,
                    drainedConnectedHeapBytes,
                    drained,
                    baselineHeapBytes < 0 || drained < 0 ? -1 : drained - baselineHeapBytes,
                    cpuMicrosPerDelivery,
                    p50Micros,
                    p90Micros,
                    p99Micros,
                    maxMicros,
                    drainSeconds,
                    errors,
                    errorSamples);
        }
    }

    private final Histogram latency = new ConcurrentHistogram(3);
    private final Errors errors = new Errors();
    private final AtomicInteger answeredEarly = new AtomicInteger();
    private final Readings readings;

    /** What the scenario reads of the server's memory. */
    enum Readings {
        /** Live heap after a full GC, and RSS right after it: before, while held and after the drain. */
        HEAP_AND_RSS,
        /**
         * RSS alone, without a GC: a cold start as a user meets it, not after collections that shrink
         * the heap first and then move the held waiters to the old generation before the deliveries.
         */
        RSS_ONLY
    }

    static Result run(Target target, Settings settings, Vertx vertx, String prefix) {
        return run(target, settings, vertx, prefix, settings.waiters(), Readings.HEAP_AND_RSS);
    }

    /** As {@link #run(Target, Settings, Vertx, String)}, with {@code waiters} held and only {@code readings}. */
    static Result run(Target target, Settings settings, Vertx vertx, String prefix, int waiters, Readings readings) {
        int deliveryConnections = Math.min(MAX_DELIVERY_CONNECTIONS, Math.max(16, settings.rate()));
        // In memory mode waits and deliveries go to one server and so share one pool.
        Result result;
        try (BenchClient client = new BenchClient(vertx, waiters + deliveryConnections + 2, target.api)) {
            result = new WaiterScenario(readings).measure(target, settings, client, prefix, waiters);
        }
        // The heap after the drain is read again once the client has closed its idle keep-alive
        // connections (and the server has seen them go): those are the client's choice, not waiters.
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
        return readings == Readings.RSS_ONLY ? result : result.withDrainedHeap(target.waiterLiveHeapBytes());
    }

    private WaiterScenario(Readings readings) {
        this.readings = readings;
    }

    private long liveHeapBytes(Target target) {
        return readings == Readings.HEAP_AND_RSS ? target.waiterLiveHeapBytes() : -1;
    }

    private Result measure(Target target, Settings settings, BenchClient client, String prefix, int n) {
        int rate = settings.rate();
        int waitSeconds = (int) Math.min(300, 120 + (long) n / Math.max(1, rate));
        // With the heap read, RSS is read right after each reading's full GC, so that both see a collected heap.
        long baselineHeap = liveHeapBytes(target);
        long baselineRss = target.waiterRssKiB();

        Correlation[] correlations = createAll(target, client, prefix, n, settings.bodyBytes());
        AtomicLongArray sentAt = new AtomicLongArray(n);
        AtomicLong lastAnswer = new AtomicLong(Long.MIN_VALUE);
        CountDownLatch answered = new CountDownLatch(n);
        Semaphore connects = new Semaphore(CONNECTS_IN_FLIGHT);
        long openStart = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int index = i;
            connects.acquireUninterruptibly();
            Future<BenchClient.Answer> wait =
                    client.await(target.waitBase, correlations[i], waitSeconds, connects::release);
            wait.onComplete(result -> {
                long now = System.nanoTime();
                lastAnswer.accumulateAndGet(now, Math::max);
                long sent = sentAt.get(index);
                if (sent == 0) {
                    answeredEarly.incrementAndGet();
                }
                if (result.failed()) {
                    errors.add("wait for " + correlations[index].id() + ": " + result.cause());
                } else {
                    String problem = BenchClient.checkResult(result.result(), correlations[index]);
                    if (problem != null) {
                        errors.add(problem);
                    } else if (sent == 0) {
                        errors.add("wait for " + correlations[index].id() + " answered before its delivery");
                    } else {
                        latency.recordValue((now - sent) / 1000);
                    }
                }
                answered.countDown();
            });
        }
        boolean registered = awaitRegistered(target, client, n);
        double registerSeconds = (System.nanoTime() - openStart) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "[bench] %s: %d long-polls %s in %.2f s%n",
                target.mode,
                n,
                registered ? "registered" : "NOT all registered",
                registerSeconds);
        long heldHeap = liveHeapBytes(target);
        long heldRss = target.waiterRssKiB();
        // A busy worker's connections are open already; opened on demand, the first deliveries of the
        // drain would wait for connects and count them as delivery latency (see docs/benchmark.md).
        openDeliveryConnections(client, target.deliverBase, Math.min(CONNECTS_IN_FLIGHT, Math.max(16, rate / 20)));
        // The server's held requests were just moved to its old generation by the full GC of the heap
        // reading; the client's are collected the same way, so that its own young collections during
        // the drain do not copy them again and again (159 ms once on a slow machine), which would
        // count as delivery latency.
        System.gc();

        long cpuBefore = target.appCpuNanos();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(daemon("bench-pacer"));
        AtomicInteger next = new AtomicInteger();
        long firstSend = System.nanoTime();
        ScheduledFuture<?> pacing = pacer.scheduleAtFixedRate(
                () -> {
                    long due = Math.min(n, (System.nanoTime() - firstSend) * rate / 1_000_000_000L + 1);
                    for (int i = next.get(); i < due; i = next.incrementAndGet()) {
                        Correlation correlation = correlations[i];
                        sentAt.set(i, System.nanoTime());
                        client.deliver(target.deliverBase, correlation).onComplete(delivered -> {
                            if (delivered.failed()) {
                                errors.add("deliver " + correlation.id() + ": " + delivered.cause());
                            } else if (!client.delivered(delivered.result())) {
                                errors.add("deliver " + correlation.id() + " answered " + delivered.result());
                            }
                        });
                    }
                },
                0,
                1,
                TimeUnit.MILLISECONDS);
        try {
            if (!answered.await(waitSeconds + 60L, TimeUnit.SECONDS)) {
                errors.add(answered.getCount() + " waiters never answered");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while draining waiters", e);
        } finally {
            pacing.cancel(false);
            pacer.shutdownNow();
        }
        double drainSeconds = (lastAnswer.get() - firstSend) / 1e9;
        long cpuAfter = target.appCpuNanos();
        long drainedConnectedHeap = liveHeapBytes(target);
        return new Result(
                n,
                rate,
                target.crossReplica() ? CROSS_REPLICA : SAME_INSTANCE,
                registered,
                registerSeconds,
                baselineRss,
                heldRss,
                baselineRss < 0 || heldRss < 0 ? -1 : (heldRss - baselineRss) * 1024.0 / n,
                baselineHeap,
                heldHeap,
                baselineHeap < 0 || heldHeap < 0 ? -1 : (heldHeap - baselineHeap) / (double) n,
                drainedConnectedHeap,
                -1,
                -1,
                cpuBefore < 0 || cpuAfter < 0 ? -1 : (cpuAfter - cpuBefore) / 1000.0 / n,
                latency.getValueAtPercentile(50),
                latency.getValueAtPercentile(90),
                latency.getValueAtPercentile(99),
                latency.getMaxValue(),
                drainSeconds,
                errors.count(),
                errors.samples());
    }

    /**
     * Opens {@code connections} for the deliveries, all at once (as many as 50 ms of deliveries, up to
     * the connects allowed in flight), so that they wait idle in the pool.
     */
    private void openDeliveryConnections(BenchClient client, URI base, int connections) {
        try {
            Bulk.await(client.openConnections(base, connections), CONNECT_TIMEOUT_SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            errors.add("could not open " + connections + " delivery connections: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening delivery connections", e);
        }
    }

    static Correlation[] createAll(Target target, BenchClient client, String prefix, int n, int bodyBytes) {
        List<Future<Correlation>> created = Bulk.run(n, CREATES_IN_FLIGHT, i -> {
            String id = prefix + "-" + i;
            return client.create(target.waitBase, id, ExchangeScenario.body(id, bodyBytes));
        });
        Correlation[] correlations = new Correlation[n];
        for (int i = 0; i < n; i++) {
            if (created.get(i).failed()) {
                throw new IllegalStateException(
                        "could not create the correlations to wait for",
                        created.get(i).cause());
            }
            correlations[i] = created.get(i).result();
        }
        return correlations;
    }

    /** Polls the server's count of held long-polls until it shows all {@code n}. */
    private boolean awaitRegistered(Target target, BenchClient client, int n) {
        long deadline = System.nanoTime() + REGISTER_TIMEOUT_NANOS;
        while (System.nanoTime() - deadline < 0) {
            String text = client.getText(target.waitBase, client.api().heldPath());
            if (text != null && client.api().held(text) >= n) {
                return true;
            }
            if (answeredEarly.get() > 0) {
                errors.add(answeredEarly.get() + " waiters were answered before any delivery");
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        errors.add("the server never showed " + n + " held long-polls");
        return false;
    }

    static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
