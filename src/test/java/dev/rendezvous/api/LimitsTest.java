package dev.rendezvous.api;

import static dev.rendezvous.support.Api.BASE;
import static dev.rendezvous.support.Api.assertProblem;
import static dev.rendezvous.support.Api.create;
import static dev.rendezvous.support.Api.deliver;
import static dev.rendezvous.support.Api.given;
import static dev.rendezvous.support.Api.inBackground;
import static dev.rendezvous.support.Api.postCorrelation;
import static dev.rendezvous.support.Api.result;
import static dev.rendezvous.support.Api.resultUrl;
import static dev.rendezvous.support.Api.state;
import static dev.rendezvous.support.Api.uniqueId;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rendezvous.correlation.service.CorrelationService;
import dev.rendezvous.correlation.service.WaiterRegistry;
import dev.rendezvous.support.Api;
import dev.rendezvous.support.RawHttp;
import dev.rendezvous.support.SmallLimitsProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every capacity limit answers 503 with Retry-After (or 413) and leaves what exists untouched. */
@QuarkusTest
@TestProfile(SmallLimitsProfile.class)
class LimitsTest {

    @Inject
    CorrelationService service;

    @Inject
    WaiterRegistry registry;

    @AfterEach
    void everythingExpires() {
        await().atMost(Duration.ofSeconds(10)).until(() -> service.usage().count("correlations") == 0);
        assertEquals(0, service.usage().count("storedBytes"));
    }

    @Test
    void refusesCreationBeyondMaxCorrelationsWithRetryAfter() {
        IntStream.range(0, 3).forEach(i -> create(uniqueId("full"), 2));
        String refused = uniqueId("refused");

        Response answer = postCorrelation(Map.of("id", refused, "ttl", 1));

        assertProblem(answer, 503, BASE);
        answer.then().header("Retry-After", equalTo("1"));
        assertEquals(3, service.usage().count("correlations"));
        Api.status(refused).then().statusCode(404);
    }

    @Test
    void refusesWaitersBeyondMaxWaitersWhileTheOthersStillGetTheResult() {
        String id = uniqueId("waited");
        JsonPath created = create(id, 2);
        List<CompletableFuture<Response>> waiting = IntStream.range(0, 2)
                .mapToObj(i -> inBackground(() -> Api.result(id, "wait=4")))
                .toList();
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.waiting() == 2);

        Response refused = Api.result(id, "wait=4");

        assertProblem(refused, 503, resultUrl(id));
        refused.then().header("Retry-After", equalTo("1"));
        assertEquals(2, registry.waiting());
        // A saturated instance still tells Kubernetes how it is doing.
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'correlation-store' }.data.waiters", equalTo(2));
        deliver(id, created.getString("callbackToken"), "text/plain", bytes("done"))
                .then()
                .statusCode(204);
        waiting.forEach(waiter -> waiter.join().then().statusCode(200).body(equalTo("done")));
    }

    @Test
    void refusesResultsBeyondMaxStoredBytesUntilSpaceIsFreed() {
        String first = uniqueId("stored");
        String second = uniqueId("stored");
        String firstToken = create(first, 5).getString("callbackToken");
        String secondToken = create(second, 5).getString("callbackToken");
        deliver(first, firstToken, "text/plain", bytes("a".repeat(60))).then().statusCode(204);

        Response refused = deliver(second, secondToken, "text/plain", bytes("b".repeat(60)));

        assertProblem(refused, 503, resultUrl(second));
        refused.then().header("Retry-After", equalTo("1"));
        assertEquals("pending", state(second));
        Api.result(first, "consume=true").then().statusCode(200);
        deliver(second, secondToken, "text/plain", bytes("b".repeat(60))).then().statusCode(204);
        result(second).then().statusCode(200).body(equalTo("b".repeat(60)));
    }

    @Test
    void refusesABodyOverTheConfiguredMaxBodyBeforeStoringAnything() {
        String id = uniqueId("large");
        String token = create(id, 1).getString("callbackToken");

        Response refused = deliver(id, token, "text/plain", bytes("x".repeat(65)));

        assertProblem(refused, 413, resultUrl(id));
        assertEquals("pending", state(id));
        deliver(id, token, "text/plain", bytes("x".repeat(64))).then().statusCode(204);
    }

    @Test
    void closesAConnectionThatDribblesItsHeaders() throws IOException {
        try (RawHttp slow = RawHttp.connect(Duration.ofMillis(500))) {
            byte[] request =
                    "GET /q/health/live HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
            long started = System.nanoTime();
            boolean closed = false;
            // One byte a second, never finishing the headers: only the idle timeout (5 s here) ends it.
            for (int sent = 0; sent < 40 && !closed; sent++) {
                try {
                    slow.send(new byte[] {request[Math.min(sent, request.length - 1)]});
                    closed = slow.input().read() == -1;
                } catch (SocketTimeoutException stillOpen) {
                    // Nothing to read yet: keep dribbling.
                } catch (IOException reset) {
                    closed = true;
                }
            }
            Duration held = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(closed, "the dribbling connection was still open after " + held);
            assertTrue(held.compareTo(Duration.ofSeconds(25)) < 0, "held for " + held);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
