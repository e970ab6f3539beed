package dev.rendezvous.ops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The traffic of an AOT cache's training run (docker/aot-train.sh): exchanges as clients and workers
 * make them (create, long-poll, deliver; now and then an event stream, a status read, a heartbeat, a
 * failure, a cancel and a bad request), so that the JVM records the classes and method profiles of
 * the hot paths. A separate process with nothing but the JDK: {@code java -cp <app jar>
 * dev.rendezvous.ops.AotTraining <service URL> <exchanges>}. Exits 1 if the service answers anything
 * the contract does not promise.
 */
public final class AotTraining {

    private static final int IN_FLIGHT = 32;
    /** For every answer, an event stream's end included, and for the last exchanges together. */
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static final String FAILURE = "{\"title\": \"Conversion failed\", \"status\": 502}";
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final Pattern TOKEN = Pattern.compile("\"callbackToken\":\"([^\"]+)\"");

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI base;
    private final AtomicInteger unexpected = new AtomicInteger();

    private AotTraining(URI base) {
        this.base = base;
    }

    public static void main(String[] args) throws Exception {
        AotTraining training = new AotTraining(URI.create(args[0]));
        int exchanges = Integer.parseInt(args[1]);
        training.awaitReady(Duration.ofSeconds(60));
        long start = System.nanoTime();
        training.run(exchanges);
        System.out.printf(
                "AOT training: %d exchanges in %.1f s, %d unexpected answers%n",
                exchanges, (System.nanoTime() - start) / 1e9, training.unexpected.get());
        System.exit(training.unexpected.get() == 0 ? 0 : 1);
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(get("q/health/ready"), BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // the port is not open yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(base + " not ready within " + timeout);
    }

    private void run(int exchanges) throws InterruptedException {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        for (int i = 0; i < exchanges; i++) {
            inFlight.acquire();
            int index = i;
            exchange(i).whenComplete((ignored, failure) -> {
                if (failure != null && unexpected.incrementAndGet() <= 5) {
                    System.err.println("AOT training: exchange " + index + ": " + failure.getMessage());
                }
                inFlight.release();
            });
        }
        if (!inFlight.tryAcquire(IN_FLIGHT, TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("exchanges still unanswered " + TIMEOUT + " after the last one began");
        }
    }

    /** One exchange; every 16th varies it, so that the less common paths are trained too. */
    private CompletableFuture<?> exchange(int i) {
        return send(post("v1/correlations", "{\"ttl\": 60}"), 201).thenCompose(created -> {
            String id = find(ID, created);
            String token = find(TOKEN, created);
            String callback = "v1/correlations/" + id;
            CompletableFuture<?> steps = switch (i % 16) {
                case 1 -> both(stream(callback + "/events"), deliver(callback + "/result?token=" + token, 204));
                case 2 ->
                    send(post(callback + "/heartbeat?token=" + token, "{\"ttl\": 60}"), 200)
                            .thenCompose(ignored -> send(post(callback + "/failure?token=" + token, FAILURE), 204))
                            .thenCompose(ignored -> send(get(callback + "/result"), 502));
                case 3 ->
                    send(
                                    HttpRequest.newBuilder(base.resolve(callback))
                                            .timeout(TIMEOUT)
                                            .DELETE()
                                            .build(),
                                    204)
                            .thenCompose(ignored -> send(get(callback), 200));
                case 4 ->
                    send(post("v1/correlations", "{\"ttl\": -1}"), 400)
                            .thenCompose(ignored -> send(get("v1/correlations/unknown-" + i), 404))
                            .thenCompose(ignored -> deliver(callback + "/result?token=" + token, 204));
                default ->
                    both(
                            send(get(callback + "/result?wait=30&consume=true"), 200),
                            deliver(callback + "/result?token=" + token, 204));
            };
            return steps;
        });
    }

    private CompletableFuture<Void> deliver(String path, int status) {
        return send(post(path, "{\"pages\": 3}"), status).thenApply(ignored -> null);
    }

    /**
     * An event stream, received to its end (the service closes it after the last event) without a
     * thread blocked on it: a blocking read in a dependent stage can run on the thread that was about
     * to send this exchange's delivery, which then waits for the stream to end.
     */
    private CompletableFuture<Void> stream(String path) {
        return http.sendAsync(get(path), BodyHandlers.discarding())
                .thenAccept(response -> expect(response.statusCode(), 200, path));
    }

    private static CompletableFuture<Void> both(CompletableFuture<?> first, CompletableFuture<?> second) {
        return CompletableFuture.allOf(first, second);
    }

    private CompletableFuture<String> send(HttpRequest request, int status) {
        return http.sendAsync(request, BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(response -> {
                    expect(response.statusCode(), status, request.method() + " " + request.uri());
                    return response.body();
                });
    }

    private static void expect(int actual, int expected, String what) {
        if (actual != expected) {
            throw new IllegalStateException(what + " answered " + actual + ", not " + expected);
        }
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET().build();
    }

    private HttpRequest post(String path, String json) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(json))
                .build();
    }

    private static String find(Pattern pattern, String json) {
        Matcher matcher = pattern.matcher(json);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + pattern + " in " + json);
        }
        return matcher.group(1);
    }
}
