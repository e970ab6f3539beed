package dev.rendezvous.bench;

import dev.rendezvous.bench.BenchClient.Correlation;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Scenario 1: C clients, each looping create → long-poll ({@code wait=30&consume=true}) → deliver →
 * receive. A client delivers not its own correlation but the oldest one another client is already
 * waiting for (a shared FIFO of waited-for correlations), so every wait really waits: a client only
 * ever delivers its own when nobody else is waiting, which happens at the start alone.
 */
final class ExchangeScenario {

    static final int WAIT_SECONDS = 30;

    private static final int MAX_WARMUP_FACTOR = 4;
    private static final long JIT_STEP_NANOS = 5_000_000_000L;

    /**
     * Latencies and CPU per exchange in microseconds; allocation per exchange in bytes; -1 where
     * unknown. Redis's CPU is all its nodes'; {@code redis} has it by node, and its commands (null
     * without a private Redis).
     */
    record Result(
            int clients,
            int seconds,
            long exchanges,
            double exchangesPerSecond,
            long p50Micros,
            long p90Micros,
            long p99Micros,
            long maxMicros,
            long errors,
            List<String> errorSamples,
            double serverCpuMicrosPerExchange,
            double redisCpuMicrosPerExchange,
            double clientCpuMicrosPerExchange,
            long serverRssKiB,
            double warmedUpSeconds,
            double jitCpuMicrosPerExchange,
            double serverAllocatedBytesPerExchange,
            RedisFigures redis) {}

    private final Target target;
    private final Settings settings;
    private final BenchClient client;
    private final String prefix;
    private final Deque<Correlation> waitedFor = new ArrayDeque<>();
    private final Histogram latency = new ConcurrentHistogram(3);
    private final AtomicLong measured = new AtomicLong();
    private final Errors errors = new Errors();
    private final CountDownLatch running;
    /** Moved on while the warm-up lasts; clients read them on their event loop. */
    private volatile long measureStart;

    private volatile long measureEnd;

    private ExchangeScenario(Target target, Settings settings, BenchClient client, String prefix) {
        this.target = target;
        this.settings = settings;
        this.client = client;
        this.prefix = prefix;
        this.running = new CountDownLatch(settings.clients());
    }

    static Result run(Target target, Settings settings, Vertx vertx, String prefix) {
        // Each client has at most its wait and one delivery in flight at once.
        try (BenchClient client = new BenchClient(vertx, 2 * settings.clients() + 2, target.api)) {
            return new ExchangeScenario(target, settings, client, prefix).run();
        }
    }

    private Result run() {
        // Before the warm-up's clock starts: JFR takes a second or two to start in each service.
        boolean service = target.isService();
        try (Allocation allocation = Allocation.start(service ? target.appPids : List.of(), settings.outDir())) {
            return run(allocation);
        }
    }

    private Result run(Allocation allocation) {
        long start = System.nanoTime();
        long warmup = settings.warmupSeconds() * 1_000_000_000L;
        long measuring = settings.seconds() * 1_000_000_000L;
        // Nothing counts until the warm-up is over; the latest it can end is MAX_WARMUP_FACTOR times
        // the minimum.
        measureStart = start + MAX_WARMUP_FACTOR * warmup;
        measureEnd = measureStart + measuring;
        for (int i = 0; i < settings.clients(); i++) {
            new Exchanger(i).next();
        }
        // The JIT is first read one step before the least warm-up ends, so that a settled JIT ends it on time.
        parkUntil(start + Math.max(0, warmup - JIT_STEP_NANOS));
        long settled = untilJitSettles(start + warmup, start + MAX_WARMUP_FACTOR * warmup);
        measureEnd = settled + measuring;
        measureStart = settled;
        System.out.printf(
                Locale.ROOT, "[bench] %s: measuring after %.0f s of warm-up%n", target.mode, (settled - start) / 1e9);
        long cpu0 = target.appCpuNanos();
        Map<String, Long> jit0 = target.appJitCpuNanosByThread();
        RedisFigures.Window redis = RedisFigures.start(target.redis);
        long client0 = Proc.cpuNanos(ProcessHandle.current().pid());
        Instant from = Instant.now();
        parkUntil(measureEnd);
        Instant to = Instant.now();
        long cpu1 = target.appCpuNanos();
        Map<String, Long> jit1 = target.appJitCpuNanosByThread();
        if (redis != null) {
            redis.stop();
        }
        long client1 = Proc.cpuNanos(ProcessHandle.current().pid());
        long rss = target.appRssKiB();
        drain();
        long allocated = allocation.stopAndCount(from, to);
        long exchanges = measured.get();
        RedisFigures redisFigures = redis == null ? null : redis.perExchange(exchanges);
        return new Result(
                settings.clients(),
                settings.seconds(),
                exchanges,
                exchanges / (double) settings.seconds(),
                latency.getValueAtPercentile(50),
                latency.getValueAtPercentile(90),
                latency.getValueAtPercentile(99),
                latency.getMaxValue(),
                errors.count(),
                errors.samples(),
                perExchange(cpu0, cpu1, exchanges),
                redisFigures == null ? -1 : redisFigures.cpuMicrosPerExchange(),
                perExchange(client0, client1, exchanges),
                rss,
                (settled - start) / 1e9,
                perExchange(0, Proc.increase(jit0, jit1), exchanges),
                allocated < 0 || exchanges == 0 ? -1 : allocated / (double) exchanges,
                redisFigures);
    }

    /**
     * The JIT of a service with much code to compile can still be at work after the least warm-up
     * on a slow machine (more than half a core for another 10 s was seen here), and its compilers'
     * CPU would count as the exchanges'. So the warm-up goes on, in steps, until the services'
     * compiler threads use under 2% of a core, but ends no sooner than {@code earliest} and no later
     * than {@code latest}; answers when it ended.
     */
    private long untilJitSettles(long earliest, long latest) {
        Map<String, Long> compiled = target.appJitCpuNanosByThread();
        if (compiled == null) {
            // Not a HotSpot JVM whose threads can be read here: the least warm-up it is.
            parkUntil(earliest);
            return System.nanoTime();
        }
        long from = System.nanoTime();
        while (true) {
            parkUntil(Math.min(latest, Math.max(earliest, from + JIT_STEP_NANOS)));
            Map<String, Long> later = target.appJitCpuNanosByThread();
            long now = System.nanoTime();
            long used = Proc.increase(compiled, later);
            if (used < 0 || used * 50 < now - from || now - latest >= 0) {
                return now;
            }
            compiled = later;
            from = now;
        }
    }

    private static double perExchange(long before, long after, long exchanges) {
        return before < 0 || after < 0 || exchanges == 0 ? -1 : (after - before) / 1000.0 / exchanges;
    }

    /**
     * One client's loop as a chain of callbacks on the client's event loop: no thread per client, so
     * that 64 clients cost the cores no more than the requests they send.
     */
    private final class Exchanger {

        private final int number;
        private long sequence;

        Exchanger(int number) {
            this.number = number;
        }

        void next() {
            if (System.nanoTime() - measureEnd >= 0) {
                running.countDown();
                return;
            }
            long started = System.nanoTime();
            String id = prefix + "-" + number + "-" + sequence++;
            client.create(target.waitBase, id, body(id, settings.bodyBytes())).onComplete(created -> {
                if (created.failed()) {
                    error("create " + id + ": " + created.cause());
                    next();
                    return;
                }
                Correlation mine = created.result();
                client.await(target.waitBase, mine, WAIT_SECONDS, () -> handOver(mine))
                        .onComplete(answered -> {
                            long ended = System.nanoTime();
                            if (answered.failed()) {
                                error("wait for " + id + ": " + answered.cause());
                            } else {
                                String problem = BenchClient.checkResult(answered.result(), mine);
                                if (problem != null) {
                                    error(problem);
                                } else if (ended - measureStart >= 0 && ended - measureEnd < 0) {
                                    latency.recordValue((ended - started) / 1000);
                                    measured.incrementAndGet();
                                }
                            }
                            next();
                        });
            });
        }
    }

    /** Queues {@code mine} to be delivered by another client, and delivers the oldest one queued before. */
    private void handOver(Correlation mine) {
        Correlation other;
        synchronized (waitedFor) {
            waitedFor.addLast(mine);
            other = waitedFor.peekFirst() == mine ? null : waitedFor.pollFirst();
        }
        if (other != null) {
            deliver(other);
        }
    }

    /** After the run: delivers what clients still wait for, until every client has stopped. */
    private void drain() {
        try {
            while (running.getCount() > 0) {
                Correlation other;
                synchronized (waitedFor) {
                    other = waitedFor.pollFirst();
                }
                if (other != null) {
                    deliver(other);
                } else {
                    running.await(10, TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(Correlation correlation) {
        client.deliver(target.deliverBase, correlation).onComplete(delivered -> {
            if (delivered.failed()) {
                error("deliver " + correlation.id() + ": " + delivered.cause());
            } else if (!client.delivered(delivered.result())) {
                error("deliver " + correlation.id() + " answered " + delivered.result());
            }
        });
    }

    private void error(String message) {
        errors.add(message);
    }

    /** The ID followed by random bytes: unique, and not valid UTF-8, so that bytes are compared. */
    static byte[] body(String id, int size) {
        byte[] prefix = id.getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[Math.max(prefix.length, size)];
        ThreadLocalRandom.current().nextBytes(body);
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        return body;
    }

    static void parkUntil(long deadline) {
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
