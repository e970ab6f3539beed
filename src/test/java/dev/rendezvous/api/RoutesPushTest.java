package dev.rendezvous.api;

import static dev.rendezvous.support.Api.assertProblem;
import static dev.rendezvous.support.Api.given;
import static dev.rendezvous.support.Api.uniqueId;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rendezvous.support.Api;
import dev.rendezvous.support.PushWorker;
import dev.rendezvous.support.PushWorker.Dispatch;
import dev.rendezvous.support.RoutesProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Push routes against a real worker on a loopback port, which checks every signature itself. */
@QuarkusTest
@TestProfile(RoutesProfile.class)
class RoutesPushTest {

    static Response submit(String route, String id, String prefer, String body) {
        var request = given().contentType("application/x-job")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .queryParam("id", id);
        if (prefer != null) {
            request.header("Prefer", prefer);
        }
        return request.when().post("/v1/routes/" + route + "/correlations");
    }

    @Test
    void answersWithTheWorkersResultInTheSameRequestWhenItPrefersToWait() {
        String id = uniqueId("push");

        Response answer = submit("answering", id, "wait=10", "convert me");

        answer.then()
                .statusCode(200)
                .contentType("text/plain")
                .header("Rendezvous-Correlation-Id", id)
                .header("Location", endsWith("/v1/correlations/" + id + "/result"))
                .header("Preference-Applied", "wait=10")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "sandbox");
        assertThat(answer.asString(), equalTo("done:convert me"));
    }

    @Test
    void dispatchesTheBodyWithItsContentTypeAndSignedRendezvousHeaders() {
        String id = uniqueId("headers");
        submit("answering", id, "wait=10", "{\"pages\": 3}").then().statusCode(200);

        List<Dispatch> dispatches = PushWorker.current().dispatches(id);

        assertThat(dispatches, hasSize(1));
        Dispatch dispatch = dispatches.get(0);
        assertTrue(dispatch.signed(), "the worker verified the Standard Webhooks signature");
        assertThat(dispatch.header("Content-Type"), equalTo("application/x-job"));
        assertThat(new String(dispatch.body()), equalTo("{\"pages\": 3}"));
        assertThat(dispatch.header("webhook-id"), equalTo(id + "/1"));
        assertThat(dispatch.header("Rendezvous-Attempt"), equalTo("1"));
        assertThat(
                dispatch.header("Rendezvous-Callback-Url"),
                containsString("/v1/correlations/" + id + "/result?token="));
        assertThat(
                dispatch.header("Rendezvous-Failure-Url"),
                containsString("/v1/correlations/" + id + "/failure?token="));
        assertThat(
                dispatch.header("Rendezvous-Heartbeat-Url"),
                containsString("/v1/correlations/" + id + "/heartbeat?token="));
        assertTrue(Instant.parse(dispatch.header("Rendezvous-Deadline")).isAfter(Instant.now()));
    }

    @Test
    void answers202WithTheStatusAtOnceWithoutAWaitPreference() {
        String id = uniqueId("async");

        Response answer = submit("answering", id, "respond-async, wait=10", "later");

        answer.then()
                .statusCode(202)
                .contentType("application/json")
                .header("Rendezvous-Correlation-Id", id)
                .header("Location", endsWith("/v1/correlations/" + id + "/result"))
                .body("id", equalTo(id))
                .body("state", equalTo("pending"));
        given().get(answer.header("Location") + "?wait=10").then().statusCode(200);
    }

    @Test
    void retriesAWorkerThatFailsWith503TwiceThenAccepts() {
        String id = uniqueId("flaky");

        Response answer = submit("flaky", id, "wait=20", "again");

        answer.then().statusCode(200);
        assertThat(answer.asString(), equalTo("done:again"));
        List<Dispatch> dispatches = PushWorker.current().dispatches(id);
        assertThat(dispatches, hasSize(3));
        assertThat(dispatches.get(2).header("webhook-id"), equalTo(id + "/3"));
        dispatches.forEach(dispatch -> assertTrue(dispatch.signed()));
    }

    @Test
    void waitsAtLeastTheWorkersRetryAfterBeforeTheNextAttempt() {
        String id = uniqueId("busy");

        Response answer = submit("busy", id, "wait=20", "when you can");

        answer.then().statusCode(200);
        List<Dispatch> dispatches = PushWorker.current().dispatches(id);
        assertThat(dispatches, hasSize(2));
        // The route's own retry delay is at most 0.2 s; the worker asked for 1 s.
        Duration gap = Duration.ofNanos(
                dispatches.get(1).receivedAt() - dispatches.get(0).receivedAt());
        assertTrue(gap.compareTo(Duration.ofMillis(950)) >= 0, () -> "retried after " + gap);
    }

    @Test
    void failsTheCorrelationWith502WhenTheWorkerAnswers400() {
        String id = uniqueId("reject");

        Response answer = submit("rejecting", id, "wait=10", "bad job");

        assertProblem(answer, 502, null);
        answer.then().header("Rendezvous-Correlation-Id", id).body("detail", containsString("answered 400"));
        assertThat(PushWorker.current().dispatches(id), hasSize(1));
    }

    @Test
    void failsTheCorrelationAfterMaxAttemptsWhenTheWorkerNeverAnswers() {
        String id = uniqueId("silent");

        Response answer = submit("silent", id, "wait=20", "anyone?");

        assertProblem(answer, 502, null);
        answer.then().body("detail", equalTo("No answer after 3 attempts: timeout."));
        assertThat(PushWorker.current().dispatches(id), hasSize(3));
    }

    @Test
    void cancellingDuringRetriesStopsFurtherDispatches() {
        String id = uniqueId("cancel");
        submit("unavailable", id, null, "never mind").then().statusCode(202);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> PushWorker.current().dispatches(id).size() >= 2);

        given().delete("/v1/correlations/" + id).then().statusCode(204);
        int dispatched = PushWorker.current().dispatches(id).size();

        // Three retry delays later, nothing more came (one dispatch may already have been on its way).
        Instant later = Instant.now().plusMillis(1000);
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(later));
        assertThat(PushWorker.current().dispatches(id).size(), lessThanOrEqualTo(dispatched + 1));
        given().get("/v1/correlations/" + id + "/result").then().statusCode(410);
    }

    @Test
    void dispatchesEveryJobOfABurstLargerThanTheDispatchesAnInstanceHasInFlight() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            String id = uniqueId("burst");
            submit("silent", id, null, "burst " + i).then().statusCode(202);
            ids.add(id);
        }

        for (String id : ids) {
            Response outcome = given().get("/v1/correlations/" + id + "/result?wait=30");
            assertProblem(outcome, 502, null);
            outcome.then().body("detail", equalTo("No answer after 3 attempts: timeout."));
            assertThat(PushWorker.current().dispatches(id), hasSize(3));
        }
    }

    @Test
    void unknownRouteIsNotFound() {
        Response answer = submit("nowhere", uniqueId("ssrf"), null, "x");

        assertProblem(answer, 404, null);
        answer.then().body("type", endsWith("route-not-found"));
    }

    @Test
    void routeNameWithUrlCharactersIsNotFound() {
        for (String name : List.of("http:%2F%2Fevil.example", "evil.example", "ANSWERING", "a%40b")) {
            Response answer = given().urlEncodingEnabled(false)
                    .contentType("text/plain")
                    .body(new byte[] {'x'})
                    .post("/v1/routes/" + name + "/correlations");
            assertThat(name, answer.statusCode(), equalTo(404));
            assertThat(name, answer.contentType(), startsWith(Api.PROBLEM));
        }
        assertThat(PushWorker.current().dispatches("never"), empty());
    }
}
