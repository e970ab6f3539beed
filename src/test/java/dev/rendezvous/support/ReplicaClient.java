package dev.rendezvous.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * An asynchronous client of one replica for the multi-replica integration tests: every call returns
 * the raw answer (status, headers, exact body bytes and the moment it arrived), so that tests can
 * fire many requests at once, at several replicas, and judge the answers afterwards.
 */
public final class ReplicaClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Beyond a long-poll's own wait, how long a request may take before the test gives up on it. */
    private static final Duration SLACK = Duration.ofSeconds(20);

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final String name;
    private final URI base;

    public ReplicaClient(String name, URI base) {
        this.name = name;
        this.base = base;
    }

    public static ReplicaClient of(String name, Replica replica) {
        return new ReplicaClient(name, replica.baseUri());
    }

    public String name() {
        return name;
    }

    /** {@code POST /v1/correlations} with a client-chosen ID and TTL. */
    public CompletableFuture<Answer> create(String id, int ttlSeconds) {
        String body = "{\"id\":\"" + id + "\",\"ttl\":" + ttlSeconds + "}";
        return send("POST", "v1/correlations", body.getBytes(StandardCharsets.UTF_8), "application/json", SLACK);
    }

    /** Creates a correlation and insists on {@code 201}: for tests whose subject comes later. */
    public Created created(String id, int ttlSeconds) {
        Answer answer = create(id, ttlSeconds).join();
        if (answer.status() != 201) {
            throw new IllegalStateException(name + ": create answered " + answer.status() + ": " + answer.text());
        }
        JsonNode json = answer.json();
        return new Created(json.get("id").asText(), json.get("callbackToken").asText());
    }

    /** {@code POST /v1/routes/{route}/correlations?id=...}, answered at once. */
    public CompletableFuture<Answer> submit(String route, String id, byte[] body, String contentType) {
        return send("POST", "v1/routes/" + route + "/correlations?id=" + id, body, contentType, SLACK);
    }

    /** {@code GET .../result?wait=N}. */
    public CompletableFuture<Answer> result(String id, int waitSeconds) {
        return send(
                "GET",
                "v1/correlations/" + id + "/result?wait=" + waitSeconds,
                null,
                null,
                SLACK.plusSeconds(waitSeconds));
    }

    /** {@code GET .../events}: the whole stream, once it ends with the outcome. */
    public CompletableFuture<Answer> events(String id, Duration within) {
        return send("GET", "v1/correlations/" + id + "/events", null, null, within);
    }

    /** {@code GET .../result?consume=true}. */
    public CompletableFuture<Answer> consume(String id) {
        return send("GET", "v1/correlations/" + id + "/result?consume=true", null, null, SLACK);
    }

    /** {@code GET /v1/correlations/{id}}. */
    public CompletableFuture<Answer> status(String id) {
        return send("GET", "v1/correlations/" + id, null, null, SLACK);
    }

    /** {@code DELETE /v1/correlations/{id}}. */
    public CompletableFuture<Answer> cancel(String id) {
        return send("DELETE", "v1/correlations/" + id, null, null, SLACK);
    }

    /** {@code POST .../result} with the token as a bearer credential. */
    public CompletableFuture<Answer> deliver(String id, String token, byte[] body, String contentType) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("v1/correlations/" + id + "/result"))
                .timeout(SLACK)
                .header("Content-Type", contentType)
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return exchange(request);
    }

    /** {@code GET /q/health/ready}: 200 while the store answers, 503 while it does not. */
    public CompletableFuture<Answer> ready() {
        return send("GET", "q/health/ready", null, null, Duration.ofSeconds(5));
    }

    /** How many requests wait on this replica now, as its readiness check reports. */
    public int waiters() {
        for (JsonNode check : ready().join().json().path("checks")) {
            if (check.path("name").asText().equals("correlation-store")) {
                return check.path("data").path("waiters").asInt(-1);
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return name + "[" + base + "]";
    }

    private CompletableFuture<Answer> send(
            String method, String path, byte[] body, String contentType, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return exchange(request.build());
    }

    private CompletableFuture<Answer> exchange(HttpRequest request) {
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(response -> new Answer(
                        name, response.statusCode(), response.headers(), response.body(), System.nanoTime()));
    }

    /** What a test needs of a create answer. */
    public record Created(String id, String token) {}

    /** One answer of a replica, with the {@link System#nanoTime()} at which it arrived. */
    public record Answer(String replica, int status, HttpHeaders headers, byte[] body, long receivedAt) {

        public String contentType() {
            return headers.firstValue("Content-Type").orElse(null);
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON from " + replica + " (" + status + "): " + text(), e);
            }
        }

        @Override
        public String toString() {
            return replica + " " + status + " " + contentType() + " " + text();
        }
    }
}
