package dev.rendezvous.api;

import static dev.rendezvous.support.Api.BASE;
import static dev.rendezvous.support.Api.assertProblem;
import static dev.rendezvous.support.Api.create;
import static dev.rendezvous.support.Api.createCompleted;
import static dev.rendezvous.support.Api.deliver;
import static dev.rendezvous.support.Api.heartbeat;
import static dev.rendezvous.support.Api.uniqueId;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rendezvous.correlation.service.WaiterRegistry;
import dev.rendezvous.support.Api;
import dev.rendezvous.support.RawHttp;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Server-Sent Events: the current state first, then every change, and the stream ends with the outcome. */
@QuarkusTest
class EventsTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URI base;

    @Inject
    WaiterRegistry waiters;

    @Test
    void streamsTheStateThenHeartbeatsThenTheOutcomeAndEnds() {
        String id = uniqueId("events");
        String token = create(id, 60).getString("callbackToken");
        Stream stream = open(id);

        heartbeat(id, token, "{\"details\":{\"progress\":40}}").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.events().contains("heartbeat"));
        deliver(id, token, "done").then().statusCode(204);

        stream.awaitEnd();
        assertEquals(List.of("pending", "heartbeat", "completed"), stream.events());
        assertEquals(40, stream.data(1).getInt("lastHeartbeat.details.progress"));
        assertEquals("completed", stream.data(2).getString("state"));
        assertEquals("text/event-stream", stream.contentType());
    }

    @Test
    void endsWithCancelledOrExpired() {
        String cancelled = uniqueId("events-cancel");
        String expiring = uniqueId("events-expire");
        create(cancelled, 60);
        create(expiring, 3);
        Stream onCancelled = open(cancelled);
        Stream onExpiring = open(expiring);

        Api.given().delete(BASE + "/" + cancelled).then().statusCode(204);

        onCancelled.awaitEnd();
        onExpiring.awaitEnd();
        assertEquals(List.of("pending", "cancelled"), onCancelled.events());
        assertEquals(List.of("pending", "expired"), onExpiring.events());
        assertEquals("expired", onExpiring.data(1).getString("state"));
    }

    @Test
    void sendsTheOutcomeAndEndsAtOnceForASettledCorrelation() {
        String id = uniqueId("events-done");
        createCompleted(id, "already");

        Stream stream = open(id);

        stream.awaitEnd();
        assertEquals(List.of("completed"), stream.events());
    }

    @Test
    void keepsAQuietStreamAliveWithComments() {
        String id = uniqueId("events-quiet");
        create(id, 60);
        Stream stream = open(id);

        await().atMost(Duration.ofSeconds(10)).until(() -> stream.lines().contains(":keep-alive"));
        assertEquals(List.of("pending"), stream.events());
        stream.close();
    }

    @Test
    void forgetsASubscriberThatHangsUp() throws IOException {
        String id = uniqueId("events-gone");
        create(id, 60);
        int before = waiters.waiting();
        RawHttp subscriber = RawHttp.connect()
                .send("GET /v1/correlations/" + id + "/events HTTP/1.1\r\nHost: localhost\r\n"
                        + "Accept: text/event-stream\r\n\r\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> waiters.waiting() == before + 1);

        subscriber.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> waiters.waiting() == before);
    }

    @Test
    void answersUnknownCorrelationsAndBadIdsWithProblems() {
        assertProblem(Api.given().get(BASE + "/" + uniqueId("nobody") + "/events"), 404, null);
        assertProblem(Api.given().urlEncodingEnabled(false).get(BASE + "/a%20b/events"), 400, null);
    }

    private Stream open(String id) {
        Stream stream = new Stream();
        HttpRequest request = HttpRequest.newBuilder(base.resolve("v1/correlations/" + id + "/events"))
                .header("Accept", "text/event-stream")
                .build();
        stream.response = CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                .thenAccept(response -> {
                    stream.contentType =
                            response.headers().firstValue("Content-Type").orElse("");
                    response.body().forEach(stream.lines::add);
                });
        await().atMost(Duration.ofSeconds(10)).until(() -> !stream.events().isEmpty());
        return stream;
    }

    /** What one subscriber received, line by line. */
    private static final class Stream {

        private final List<String> lines = new CopyOnWriteArrayList<>();
        private CompletableFuture<Void> response;
        private volatile String contentType;

        List<String> lines() {
            return List.copyOf(lines);
        }

        List<String> events() {
            return lines.stream()
                    .filter(line -> line.startsWith("event:"))
                    .map(line -> line.substring("event:".length()).strip())
                    .toList();
        }

        JsonPath data(int event) {
            List<String> data = lines.stream()
                    .filter(line -> line.startsWith("data:"))
                    .map(line -> line.substring("data:".length()).strip())
                    .toList();
            return JsonPath.from(data.get(event));
        }

        String contentType() {
            return contentType;
        }

        void awaitEnd() {
            response.orTimeout(20, TimeUnit.SECONDS).join();
            assertThat(lines(), hasItem(containsString("event:")));
        }

        void close() {
            response.cancel(true);
        }
    }
}
