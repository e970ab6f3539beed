package dev.rendezvous.packaged;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rendezvous.support.Http;
import dev.rendezvous.support.Replica;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to the packaged application while clients wait: readiness goes DOWN, the long-poll is
 * answered "still pending" (202, Retry-After, Location) at once, and the event stream ends cleanly.
 */
class GracefulShutdownIT {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @Test
    void answersWaitingClientsAndGoesUnreadyOnSigterm() {
        Replica replica = Replica.start(Map.of());
        try {
            Http http = new Http(replica.baseUri());
            String id = "shutdown-" + UUID.randomUUID();
            http.create(id);
            CompletableFuture<HttpResponse<String>> longPoll = http.get("/v1/correlations/" + id + "/result?wait=60");
            CompletableFuture<HttpResponse<String>> stream = CLIENT.sendAsync(
                    HttpRequest.newBuilder(replica.baseUri().resolve("v1/correlations/" + id + "/events"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> readiness(replica).body().contains("\"waiters\": 2"));
            long signalled = System.nanoTime();

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(replica::stop);

            HttpResponse<String> answered = longPoll.join();
            assertEquals(202, answered.statusCode());
            assertEquals("1", answered.headers().firstValue("Retry-After").orElseThrow());
            assertThat(
                    answered.headers().firstValue("Location").orElseThrow(),
                    startsWith(replica.baseUri().toString()));
            assertThat(answered.body(), containsString("\"state\":\"pending\""));
            assertThat(Duration.ofNanos(System.nanoTime() - signalled), lessThan(Duration.ofSeconds(5)));
            HttpResponse<String> events = stream.join();
            assertEquals(
                    List.of("event:pending"),
                    events.body()
                            .lines()
                            .filter(line -> line.startsWith("event:"))
                            .toList());
            assertEquals(503, readiness(replica).statusCode());
            stopping.join();
        } finally {
            replica.stop();
        }
    }

    private static HttpResponse<String> readiness(Replica replica) {
        URI ready = replica.baseUri().resolve("q/health/ready");
        return CLIENT.sendAsync(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString())
                .join();
    }
}
