package dev.rendezvous.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/** The three requests of an exchange over HTTP/1.1 with the JDK client. */
final class BenchClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BODY_TYPE = "application/octet-stream";

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    /** A correlation as far as the benchmark needs it, with the body its worker will deliver. */
    record Correlation(String id, String token, byte[] body) {}

    Correlation create(URI base, String id, byte[] body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("v1/correlations"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + id + "\"}"))
                .build();
        HttpResponse<byte[]> answer = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (answer.statusCode() != 201) {
            throw new IOException("create answered " + answer.statusCode());
        }
        JsonNode created = JSON.readTree(answer.body());
        if (!id.equals(created.path("id").asText())) {
            throw new IOException(
                    "create answered another ID: " + created.path("id").asText());
        }
        return new Correlation(id, created.path("callbackToken").asText(), body);
    }

    /** A long-poll that consumes the result. */
    CompletableFuture<HttpResponse<byte[]>> await(URI base, Correlation correlation, int waitSeconds) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(
                        "v1/correlations/" + correlation.id() + "/result?wait=" + waitSeconds + "&consume=true"))
                .timeout(Duration.ofSeconds(waitSeconds + 30L))
                .GET()
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    CompletableFuture<HttpResponse<Void>> deliver(URI base, Correlation correlation) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("v1/correlations/" + correlation.id() + "/result"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", BODY_TYPE)
                .header("Authorization", "Bearer " + correlation.token())
                .POST(HttpRequest.BodyPublishers.ofByteArray(correlation.body()))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
    }

    /** Null if the answer is the correlation's result byte for byte, else what is wrong with it. */
    static String checkResult(HttpResponse<byte[]> answer, Correlation correlation) {
        if (answer.statusCode() != 200) {
            return "wait for " + correlation.id() + " answered " + answer.statusCode();
        }
        if (!BODY_TYPE.equals(answer.headers().firstValue("Content-Type").orElse(""))) {
            return "wait for " + correlation.id() + " answered Content-Type "
                    + answer.headers().firstValue("Content-Type").orElse("(none)");
        }
        if (!Arrays.equals(answer.body(), correlation.body())) {
            return "wait for " + correlation.id() + " answered another body";
        }
        return null;
    }

    /** Sends a plain GET and answers its body as text, or null on any failure. */
    String getText(URI uri) {
        try {
            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200 ? answer.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
