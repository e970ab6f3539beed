package dev.rendezvous.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A small asynchronous client for tests that need many requests in flight at once. */
public final class Http {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final URI base;

    public Http(URI base) {
        this.base = base;
    }

    /** A new correlation as the create answer describes it. */
    public Created create(String id) {
        HttpResponse<String> answer = send(
                        "POST", "/v1/correlations", "{\"id\":\"" + id + "\"}", "application/json", null)
                .join();
        if (answer.statusCode() != 201) {
            throw new IllegalStateException("create answered " + answer.statusCode() + ": " + answer.body());
        }
        try {
            JsonNode body = JSON.readTree(answer.body());
            return new Created(
                    body.get("id").asText(), body.get("callbackToken").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public CompletableFuture<HttpResponse<String>> get(String path) {
        return send("GET", path, null, null, null);
    }

    public CompletableFuture<HttpResponse<String>> delete(String path) {
        return send("DELETE", path, null, null, null);
    }

    public CompletableFuture<HttpResponse<String>> deliver(Created correlation, String body) {
        return send(
                "POST", "/v1/correlations/" + correlation.id() + "/result", body, "text/plain", correlation.token());
    }

    public CompletableFuture<HttpResponse<String>> send(
            String method, String path, String body, String contentType, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What a test needs of a create answer. */
    public record Created(String id, String token) {}
}
