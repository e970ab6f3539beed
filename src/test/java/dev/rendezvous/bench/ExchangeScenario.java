package dev.rendezvous.bench;

import dev.rendezvous.bench.BenchClient.Correlation;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
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

    /** Latencies in microseconds; CPU per exchange in microseconds; -1 where unknown. */
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
            long serverRssKiB) {}

    private final Target target;
    private final Settings settings;
    private final BenchClient client;
    private final String prefix;
    private final Deque<Correlation> waitedFor = new ArrayDeque<>();
    private final Histogram latency = new ConcurrentHistogram(3);
    private final AtomicLong measured = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final Queue<String> errorSamples = new ConcurrentLinkedQueue<>();
    private long measureStart;
    private long measureEnd;

    private ExchangeScenario(Target target, Settings settings, BenchClient client, String prefix) {
        this.target = target;
        this.settings = settings;
        this.client = client;
        this.prefix = prefix;
    }

    static Result run(Target target, Settings settings, BenchClient client, String prefix) {
        return new ExchangeScenario(target, settings, client, prefix).run();
    }

    private Result run() {
        long start = System.nanoTime();
        measureStart = start + settings.warmupSeconds() * 1_000_000_000L;
        measureEnd = measureStart + settings.seconds() * 1_000_000_000L;
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < settings.clients(); i++) {
            int number = i;
            Thread thread = new Thread(() -> loop(number), "bench-client-" + i);
            thread.setDaemon(true);
            thread.start();
            clients.add(thread);
        }
        parkUntil(measureStart);
        long cpu0 = target.appCpuNanos();
        long redis0 = target.redisCpuNanos();
        parkUntil(measureEnd);
        long cpu1 = target.appCpuNanos();
        long redis1 = target.redisCpuNanos();
        long rss = target.appRssKiB();
        drain(clients);
        long exchanges = measured.get();
        return new Result(
                settings.clients(),
                settings.seconds(),
                exchanges,
                exchanges / (double) settings.seconds(),
                latency.getValueAtPercentile(50),
                latency.getValueAtPercentile(90),
                latency.getValueAtPercentile(99),
                latency.getMaxValue(),
                errors.get(),
                List.copyOf(errorSamples),
                perExchange(cpu0, cpu1, exchanges),
                perExchange(redis0, redis1, exchanges),
                rss);
    }

    private static double perExchange(long before, long after, long exchanges) {
        return before < 0 || after < 0 || exchanges == 0 ? -1 : (after - before) / 1000.0 / exchanges;
    }

    private void loop(int number) {
        long sequence = 0;
        while (System.nanoTime() - measureEnd < 0) {
            long started = System.nanoTime();
            String id = prefix + "-" + number + "-" + sequence++;
            Correlation mine;
            try {
                mine = client.create(target.waitBase, id, body(id, settings.bodyBytes()));
            } catch (Exception e) {
                error("create " + id + ": " + e);
                continue;
            }
            CompletableFuture<HttpResponse<byte[]>> waiting = client.await(target.waitBase, mine, WAIT_SECONDS);
            Correlation other;
            synchronized (waitedFor) {
                waitedFor.addLast(mine);
                other = waitedFor.peekFirst() == mine ? null : waitedFor.pollFirst();
            }
            if (other != null) {
                deliver(other);
            }
            try {
                HttpResponse<byte[]> answer = waiting.join();
                long ended = System.nanoTime();
                String problem = BenchClient.checkResult(answer, mine);
                if (problem != null) {
                    error(problem);
                } else if (ended - measureStart >= 0 && ended - measureEnd < 0) {
                    latency.recordValue((ended - started) / 1000);
                    measured.incrementAndGet();
                }
            } catch (RuntimeException e) {
                error("wait for " + id + ": " + e);
            }
        }
    }

    /** After the run: delivers what clients still wait for, until every client has stopped. */
    private void drain(List<Thread> clients) {
        for (Thread thread : clients) {
            while (thread.isAlive()) {
                Correlation other;
                synchronized (waitedFor) {
                    other = waitedFor.pollFirst();
                }
                if (other != null) {
                    deliver(other);
                } else {
                    try {
                        thread.join(10);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    private void deliver(Correlation correlation) {
        try {
            int status = client.deliver(target.deliverBase, correlation).join().statusCode();
            if (status != 204) {
                error("deliver " + correlation.id() + " answered " + status);
            }
        } catch (RuntimeException e) {
            error("deliver " + correlation.id() + ": " + e);
        }
    }

    private void error(String message) {
        errors.incrementAndGet();
        if (errorSamples.size() < 10) {
            errorSamples.add(message);
        }
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
