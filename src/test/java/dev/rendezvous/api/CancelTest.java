package dev.rendezvous.api;

import static dev.rendezvous.support.Api.assertProblem;
import static dev.rendezvous.support.Api.create;
import static dev.rendezvous.support.Api.createCompleted;
import static dev.rendezvous.support.Api.createFailed;
import static dev.rendezvous.support.Api.deliver;
import static dev.rendezvous.support.Api.fail;
import static dev.rendezvous.support.Api.failureUrl;
import static dev.rendezvous.support.Api.given;
import static dev.rendezvous.support.Api.heartbeat;
import static dev.rendezvous.support.Api.heartbeatUrl;
import static dev.rendezvous.support.Api.inBackground;
import static dev.rendezvous.support.Api.resultUrl;
import static dev.rendezvous.support.Api.uniqueId;
import static dev.rendezvous.support.Api.url;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.rendezvous.correlation.service.WaiterRegistry;
import dev.rendezvous.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CancelTest {

    @Inject
    WaiterRegistry waiters;

    @Test
    void cancelsAPendingCorrelation() {
        String id = uniqueId("cancel");
        create(id);

        cancel(id).then().statusCode(204).body(emptyString());

        assertCancelled(id);
    }

    @Test
    void answersEveryWaiterWith410AtOnce() {
        String id = uniqueId("cancel-waiters");
        create(id);
        int before = waiters.waiting();
        CompletableFuture<Response> first = inBackground(() -> Api.result(id, "wait=120"));
        CompletableFuture<Response> second =
                inBackground(() -> given().header("Prefer", "wait=120").when().get(resultUrl(id)));
        await().atMost(Duration.ofSeconds(10)).until(() -> waiters.waiting() == before + 2);

        cancel(id).then().statusCode(204);

        for (CompletableFuture<Response> waiting : List.of(first, second)) {
            Response answer = waiting.orTimeout(10, TimeUnit.SECONDS).join();
            assertProblem(answer, 410, resultUrl(id));
            assertThat(answer.time(), lessThan(60_000L));
        }
        assertThat(waiters.waiting(), equalTo(before));
    }

    @Test
    void answersLaterCallbacksWith410() {
        String id = uniqueId("cancel-callbacks");
        String token = create(id).getString("callbackToken");
        cancel(id).then().statusCode(204);

        assertProblem(deliver(id, token, "late"), 410, resultUrl(id));
        assertProblem(fail(id, token, "{\"title\":\"late\"}"), 410, failureUrl(id));
        assertProblem(heartbeat(id, token, "{\"ttl\":600}"), 410, heartbeatUrl(id));

        assertCancelled(id);
    }

    @Test
    void acceptsCancellingTwice() {
        String id = uniqueId("cancel-twice");
        create(id);
        cancel(id).then().statusCode(204);
        String completedAt = Api.status(id).path("completedAt");

        cancel(id).then().statusCode(204).body(emptyString());

        assertCancelled(id);
        Api.status(id).then().body("completedAt", equalTo(completedAt));
    }

    @Test
    void refusesCancellingACompletedCorrelation() {
        String id = uniqueId("cancel-completed");
        createCompleted(id, "kept");

        assertProblem(cancel(id), 409, url(id));

        Api.status(id).then().statusCode(200).body("state", equalTo("completed"));
        Api.result(id).then().statusCode(200).body(equalTo("kept"));
    }

    @Test
    void refusesCancellingAFailedCorrelation() {
        String id = uniqueId("cancel-failed");
        createFailed(id, "{\"title\":\"Broken\",\"detail\":\"d\",\"status\":500}");

        assertProblem(cancel(id), 409, url(id));

        Api.status(id).then().statusCode(200).body("state", equalTo("failed"));
        assertProblem(Api.result(id), 500, resultUrl(id));
    }

    @Test
    void answersCancellingAnUnknownCorrelationWith404() {
        String id = uniqueId("cancel-unknown");

        assertProblem(cancel(id), 404, url(id));

        assertProblem(Api.status(id), 404, url(id));
    }

    private static Response cancel(String id) {
        return given().when().delete(url(id));
    }

    /** Cancelled for watchers, with no token nor heartbeat shown, and 410 for readers of the result. */
    private static void assertCancelled(String id) {
        Api.status(id)
                .then()
                .statusCode(200)
                .contentType(containsString("application/json"))
                .body("state", equalTo("cancelled"))
                .body("completedAt", notNullValue())
                .body("$", not(hasKey("callbackToken")))
                .body("$", not(hasKey("lastHeartbeat")));
        assertProblem(Api.result(id), 410, resultUrl(id));
    }
}
