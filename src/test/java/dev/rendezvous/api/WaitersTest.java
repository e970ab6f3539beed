package dev.rendezvous.api;

import static dev.rendezvous.support.Api.assertProblem;
import static dev.rendezvous.support.Api.create;
import static dev.rendezvous.support.Api.deliver;
import static dev.rendezvous.support.Api.fail;
import static dev.rendezvous.support.Api.given;
import static dev.rendezvous.support.Api.heldRead;
import static dev.rendezvous.support.Api.inBackground;
import static dev.rendezvous.support.Api.resultUrl;
import static dev.rendezvous.support.Api.uniqueId;
import static dev.rendezvous.support.Api.url;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.rendezvous.correlation.service.WaiterRegistry;
import dev.rendezvous.support.Api;
import dev.rendezvous.support.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Long-polls: woken by an outcome, several on one correlation at once, and disconnecting. */
@QuarkusTest
class WaitersTest {

    private static final int WAITERS = 3;

    @Inject
    WaiterRegistry waiters;

    @Test
    void wakesALongPollWhenTheResultArrives() {
        String id = uniqueId("woken");
        String token = create(id).getString("callbackToken");
        int before = waiters.waiting();
        CompletableFuture<Response> waiting = heldRead(waiters, () -> Api.result(id, "wait=60"));

        deliver(id, token, "application/json", "{\"total\":42}".getBytes())
                .then()
                .statusCode(204);

        Response result = waiting.orTimeout(10, TimeUnit.SECONDS).join();
        result.then()
                .statusCode(200)
                .header("Content-Type", "application/json")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "sandbox")
                .body(equalTo("{\"total\":42}"));
        assertThat(waiters.waiting(), equalTo(before));
    }

    @Test
    void wakesALongPollWhenTheWorkFails() {
        String id = uniqueId("woken-failed");
        String token = create(id).getString("callbackToken");
        int before = waiters.waiting();
        CompletableFuture<Response> waiting = heldRead(waiters, () -> Api.result(id, "wait=60"));

        fail(id, token, "{\"title\":\"Gone wrong\",\"detail\":\"Disk full\",\"status\":503}")
                .then()
                .statusCode(204);

        Response result = waiting.orTimeout(10, TimeUnit.SECONDS).join();
        assertProblem(result, 503, resultUrl(id));
        result.then().body("title", equalTo("Gone wrong"));
    }

    @Test
    void deliversResultToEveryWaiter() {
        String id = uniqueId("every");
        String token = create(id).getString("callbackToken");
        int before = waiters.waiting();
        List<CompletableFuture<Response>> reads = waitOn(id, "wait=60");

        deliver(id, token, "for all").then().statusCode(204);

        for (CompletableFuture<Response> read : reads) {
            read.orTimeout(10, TimeUnit.SECONDS)
                    .join()
                    .then()
                    .statusCode(200)
                    .header("Content-Type", "text/plain")
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Content-Security-Policy", "sandbox")
                    .body(equalTo("for all"));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> waiters.waiting() == before);
    }

    @Test
    void givesAConsumedResultToExactlyOneOfTheConcurrentReaders() {
        String id = uniqueId("one-consumer");
        String token = create(id).getString("callbackToken");
        List<CompletableFuture<Response>> reads = waitOn(id, "wait=60&consume=true");

        deliver(id, token, "only one").then().statusCode(204);

        int winners = 0;
        for (CompletableFuture<Response> read : reads) {
            Response answer = read.orTimeout(10, TimeUnit.SECONDS).join();
            if (answer.statusCode() == 200) {
                winners++;
                answer.then().body(equalTo("only one"));
            } else {
                assertProblem(answer, 404, resultUrl(id));
            }
        }
        assertThat(winners, equalTo(1));
        assertProblem(Api.status(id), 404, url(id));
    }

    @Test
    void forgetsAWaiterThatDisconnects() throws IOException {
        String id = uniqueId("disconnect");
        create(id);
        int before = waiters.waiting();

        try (RawHttp client = RawHttp.connect()) {
            client.send("GET " + resultUrl(id) + "?wait=120 HTTP/1.1\r\nHost: localhost\r\n\r\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> waiters.waiting() == before + 1);
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> waiters.waiting() == before);
        assertThat(Api.state(id), equalTo("pending"));
    }

    @Test
    void clampsPreferWaitToMaxWaitAndReportsIt() {
        String id = uniqueId("prefer-clamp");
        String token = create(id).getString("callbackToken");
        CompletableFuture<Response> waiting = heldRead(
                waiters, () -> given().header("Prefer", "wait=100000").when().get(resultUrl(id)));

        deliver(id, token, "clamped").then().statusCode(204);

        waiting.orTimeout(10, TimeUnit.SECONDS)
                .join()
                .then()
                .statusCode(200)
                .header("Preference-Applied", "wait=300")
                .body(equalTo("clamped"));
    }

    /** Starts {@link #WAITERS} long-polls and returns once the service holds every one of them. */
    private List<CompletableFuture<Response>> waitOn(String id, String query) {
        int before = waiters.waiting();
        List<CompletableFuture<Response>> reads = new ArrayList<>();
        for (int i = 0; i < WAITERS; i++) {
            reads.add(inBackground(() -> Api.result(id, query)));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> waiters.waiting() == before + WAITERS);
        return reads;
    }
}
