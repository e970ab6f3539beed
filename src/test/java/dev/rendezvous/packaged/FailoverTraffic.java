package dev.rendezvous.packaged;

import dev.rendezvous.support.ReplicaClient;
import dev.rendezvous.support.ReplicaClient.Answer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients running full exchanges against two replicas without pause, each on a thread of its own:
 * create on one replica, long-poll the result on the other, deliver on the first (again while it is
 * answered 503, since an identical retry is safe), then read. Every answer is tallied by status, and
 * every result acknowledged with {@code 204} is kept, to be read back after a fault. Randomness comes
 * from one seed, so that a run can be repeated.
 */
final class FailoverTraffic {

    static final String TYPE = "application/x-rendezvous-test";
    private static final Duration PAUSE_AFTER_503 = Duration.ofMillis(100);
    private static final int DELIVERY_ATTEMPTS = 30;

    private final ReplicaClient a;
    private final ReplicaClient b;
    private final long seed;
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final Map<String, byte[]> acknowledged = new ConcurrentHashMap<>();
    private final AtomicInteger without503RetryAfter = new AtomicInteger();
    private final AtomicInteger wrongBodies = new AtomicInteger();
    private final AtomicInteger unreachable = new AtomicInteger();
    /** Start and end ({@link System#nanoTime()}) of every exchange that completed in full. */
    private final Queue<long[]> completed = new ConcurrentLinkedQueue<>();

    private final List<Thread> clients = new ArrayList<>();
    private final Queue<Throwable> crashes = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;

    FailoverTraffic(ReplicaClient a, ReplicaClient b, long seed) {
        this.a = a;
        this.b = b;
        this.seed = seed;
    }

    void start(int count) {
        for (int i = 0; i < count; i++) {
            Random random = new Random(seed + i);
            String prefix = "failover-" + seed + "-" + i + "-";
            Thread client = new Thread(() -> run(random, prefix), "exchange-client-" + i);
            client.setUncaughtExceptionHandler((thread, crash) -> crashes.add(crash));
            clients.add(client);
            client.start();
        }
    }

    /** Stops the clients once their exchanges in progress end. */
    void stop() throws InterruptedException {
        running = false;
        for (Thread client : clients) {
            client.join(Duration.ofSeconds(60).toMillis());
        }
    }

    int completedCount() {
        if (!crashes.isEmpty()) {
            throw new IllegalStateException("a client crashed", crashes.peek());
        }
        return completed.size();
    }

    /** When the first exchange that began after {@code nanos} completed in full, if one did. */
    OptionalLong firstCompletedAfter(long nanos) {
        return completed.stream()
                .filter(exchange -> exchange[0] > nanos)
                .mapToLong(exchange -> exchange[1])
                .min();
    }

    Map<String, byte[]> acknowledged() {
        return acknowledged;
    }

    /** Answers by status, in order. */
    Map<Integer, Integer> statuses() {
        Map<Integer, Integer> counts = new TreeMap<>();
        statuses.forEach((status, count) -> counts.put(status, count.get()));
        return counts;
    }

    int without503RetryAfter() {
        return without503RetryAfter.get();
    }

    /** Results answered with another body than the one delivered. */
    int wrongBodies() {
        return wrongBodies.get();
    }

    /** Requests that got no HTTP answer at all. */
    int unreachable() {
        return unreachable.get();
    }

    private void run(Random random, String prefix) {
        for (int n = 0; running; n++) {
            boolean forward = random.nextBoolean();
            if (!exchange(forward ? a : b, forward ? b : a, prefix + n, random)) {
                pause();
            }
        }
    }

    /** One exchange; whether it completed in full. */
    private boolean exchange(ReplicaClient first, ReplicaClient second, String id, Random random) {
        long started = System.nanoTime();
        Answer created = answer(first.create(id, 120));
        if (created == null || created.status() != 201) {
            return false;
        }
        String token = created.json().get("callbackToken").asText();
        CompletableFuture<Answer> waiter = second.result(id, 5);
        byte[] body = ("result of " + id + " " + random.nextLong()).getBytes(StandardCharsets.UTF_8);
        Answer delivered = answer(first.deliver(id, token, body, TYPE));
        for (int attempt = 1;
                delivered != null && delivered.status() == 503 && attempt < DELIVERY_ATTEMPTS;
                attempt++) {
            pause();
            delivered = answer(first.deliver(id, token, body, TYPE));
        }
        if (delivered == null || delivered.status() != 204) {
            waiter.thenAccept(this::tally);
            return false;
        }
        acknowledged.put(id, body);
        boolean waited = isResult(answer(waiter), body);
        boolean read = isResult(answer((random.nextBoolean() ? first : second).result(id, 0)), body);
        if (waited && read) {
            completed.add(new long[] {started, System.nanoTime()});
        }
        return waited && read;
    }

    private boolean isResult(Answer answer, byte[] body) {
        if (answer == null || answer.status() != 200) {
            return false;
        }
        if (!Arrays.equals(body, answer.body())) {
            wrongBodies.incrementAndGet();
            return false;
        }
        return true;
    }

    /** The answer, tallied; null when the request got none. */
    private Answer answer(CompletableFuture<Answer> request) {
        try {
            return tally(request.join());
        } catch (RuntimeException noAnswer) {
            unreachable.incrementAndGet();
            return null;
        }
    }

    private Answer tally(Answer answer) {
        statuses.computeIfAbsent(answer.status(), status -> new AtomicInteger()).incrementAndGet();
        if (answer.status() == 503 && answer.header("Retry-After") == null) {
            without503RetryAfter.incrementAndGet();
        }
        return answer;
    }

    /** A pause before trying again, so that clients do not spin on the 503s of a failover. */
    private static void pause() {
        CompletableFuture.runAsync(
                        () -> {}, CompletableFuture.delayedExecutor(PAUSE_AFTER_503.toMillis(), TimeUnit.MILLISECONDS))
                .join();
    }
}
