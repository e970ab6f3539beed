package dev.rendezvous.api;

import static dev.rendezvous.support.Api.assertProblem;
import static dev.rendezvous.support.Api.given;
import static dev.rendezvous.support.Api.inBackground;
import static dev.rendezvous.support.Api.uniqueId;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.oneOf;

import dev.rendezvous.route.service.JobWaiters;
import dev.rendezvous.support.RoutesProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Pull routes: workers long-poll for jobs with a worker key, and answer through the callback URLs. */
@QuarkusTest
@TestProfile(RoutesProfile.class)
class RoutesPullTest {

    @Inject
    JobWaiters workers;

    static Response submit(String route, String id, String prefer) {
        var request = given().contentType("text/plain")
                .body(("job " + id).getBytes(StandardCharsets.UTF_8))
                .queryParam("id", id);
        if (prefer != null) {
            request.header("Prefer", prefer);
        }
        return request.when().post("/v1/routes/" + route + "/correlations");
    }

    static Response take(String route, int wait) {
        return take(route, wait, RoutesProfile.WORKER_KEY);
    }

    static Response take(String route, int wait, String key) {
        return given().header("Authorization", "Bearer " + key)
                .queryParam("wait", wait)
                .when()
                .get("/v1/routes/" + route + "/jobs");
    }

    /** Takes jobs until the one of {@code id} comes (other tests' jobs may be queued first, and are let go). */
    static Response takeJobOf(String route, String id) {
        for (int i = 0; i < 20; i++) {
            Response job = take(route, 5);
            if (job.statusCode() == 200 && id.equals(job.header("Rendezvous-Correlation-Id"))) {
                return job;
            }
        }
        throw new AssertionError("job " + id + " was never offered");
    }

    static void deliver(Response job, String text) {
        given().contentType("text/plain")
                .body(text.getBytes(StandardCharsets.UTF_8))
                .post(job.header("Rendezvous-Callback-Url"))
                .then()
                .statusCode(204);
    }

    @Test
    void aWaitingWorkerTakesTheJobAndTheSubmitterGetsItsResultInTheSameRequest() {
        String id = uniqueId("pull");
        int before = workers.waiting();
        CompletableFuture<Response> worker = inBackground(() -> take("pull", 30));
        await().atMost(Duration.ofSeconds(10)).until(() -> workers.waiting() == before + 1);
        CompletableFuture<Response> submitter = inBackground(() -> submit("pull", id, "wait=30"));

        Response job = worker.join();
        job.then()
                .statusCode(200)
                .contentType("text/plain")
                .header("Rendezvous-Correlation-Id", id)
                .header("Rendezvous-Attempt", "1")
                .header("Cache-Control", "no-store");
        assertThat(job.asString(), equalTo("job " + id));
        Instant leaseUntil = Instant.parse(job.header("Rendezvous-Lease-Until"));
        assertThat(leaseUntil.isAfter(Instant.now()), equalTo(true));
        deliver(job, "pulled and done");

        Response answer = submitter.join();
        answer.then().statusCode(200).header("Rendezvous-Correlation-Id", id);
        assertThat(answer.asString(), equalTo("pulled and done"));
    }

    @Test
    void handsOutABodySubmittedWithoutContentTypeAsOctetStream() {
        String id = uniqueId("untyped");
        given().body(new byte[] {1, 2, 3})
                .queryParam("id", id)
                .post("/v1/routes/pull/correlations")
                .then()
                .statusCode(202);

        Response job = takeJobOf("pull", id);

        job.then().contentType("application/octet-stream");
        assertThat(job.asByteArray(), equalTo(new byte[] {1, 2, 3}));
        deliver(job, "typed now");
    }

    @Test
    void answers204WhenNoJobArrivesWithinTheWait() {
        take("small", 0).then().statusCode(204);
        take("small", 1).then().statusCode(204);
    }

    @Test
    void refusesAWrongOrMissingWorkerKeyWith401() {
        assertProblem(take("pull", 0, "not-a-worker-key"), 401, null);
        assertProblem(given().get("/v1/routes/pull/jobs"), 401, null);
        take("pull", 0, RoutesProfile.OTHER_WORKER_KEY).then().statusCode(oneOf(200, 204));
        assertProblem(take("answering", 0), 404, null);
        assertProblem(take("nowhere", 0), 404, null);
    }

    @Test
    void offersAJobAgainWithTheNextAttemptWhenItsLeaseEndsUnanswered() {
        String id = uniqueId("lease");
        submit("expiring", id, null).then().statusCode(202);
        Response first = takeJobOf("expiring", id);
        first.then().header("Rendezvous-Attempt", "1");

        Response second = takeJobOf("expiring", id);

        second.then().header("Rendezvous-Attempt", "2");
        assertThat(second.header("Rendezvous-Callback-Url"), equalTo(first.header("Rendezvous-Callback-Url")));
        deliver(second, "second time lucky");
        given().get("/v1/correlations/" + id + "/result").then().statusCode(200);
    }

    @Test
    void failsTheCorrelationWith502WhenEveryLeaseEndsUnanswered() {
        String id = uniqueId("leases");
        submit("expiring", id, null).then().statusCode(202);
        takeJobOf("expiring", id);
        takeJobOf("expiring", id);

        Response outcome = given().get("/v1/correlations/" + id + "/result?wait=10");

        assertProblem(outcome, 502, null);
        outcome.then().body("detail", containsString("No result after 2 leases"));
    }

    @Test
    void aHeartbeatExtendsTheLease() {
        String id = uniqueId("beat");
        submit("heartbeats", id, null).then().statusCode(202);
        Response job = takeJobOf("heartbeats", id);
        Instant firstLease = Instant.parse(job.header("Rendezvous-Lease-Until"));
        Instant halfway = firstLease.minusMillis(500);
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(halfway));

        given().contentType("application/json")
                .body("{\"details\": {\"progress\": 50}}")
                .post(job.header("Rendezvous-Heartbeat-Url"))
                .then()
                .statusCode(200);

        // Past the first lease and a lease pass (0.2 s): the job is still held by its worker.
        Instant past = firstLease.plusMillis(400);
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(past));
        take("heartbeats", 0).then().statusCode(204);
        deliver(job, "kept alive");
        given().get("/v1/correlations/" + id + "/result").then().statusCode(200);
    }

    @Test
    void cancellingRemovesAQueuedJob() {
        String id = uniqueId("cancel");
        submit("small", id, null).then().statusCode(202);

        given().delete("/v1/correlations/" + id).then().statusCode(204);

        take("small", 0).then().statusCode(204);
    }

    @Test
    void answers503WithRetryAfterWhenTheRoutesQueueIsFull() {
        String[] ids = {uniqueId("full"), uniqueId("full"), uniqueId("full")};
        for (int i = 0; i < RoutesProfile.SMALL_QUEUE; i++) {
            submit("small", ids[i], null).then().statusCode(202);
        }

        Response refused = submit("small", ids[2], null);

        assertProblem(refused, 503, null);
        refused.then().header("Retry-After", "1");
        for (int i = 0; i < RoutesProfile.SMALL_QUEUE; i++) {
            given().delete("/v1/correlations/" + ids[i]).then().statusCode(204);
        }
        submit("small", uniqueId("room"), "respond-async").then().statusCode(202);
        deliver(take("small", 0).then().statusCode(200).extract().response(), "done");
    }

    @Test
    void jobsThatExpireWithTheirCorrelationLeaveRoomInTheQueue() {
        for (int i = 0; i < RoutesProfile.SMALL_QUEUE; i++) {
            given().contentType("text/plain")
                    .body(new byte[] {'x'})
                    .queryParam("ttl", 1)
                    .post("/v1/routes/small/correlations")
                    .then()
                    .statusCode(202);
        }
        Instant expired = Instant.now().plusMillis(1500);
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(expired));

        // In Redis mode the expired jobs' places come free on the next lease pass.
        String[] admitted = new String[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            String id = uniqueId("after-expiry");
            admitted[0] = id;
            return submit("small", id, null).statusCode() == 202;
        });

        Response job = take("small", 5);
        job.then().statusCode(200).header("Rendezvous-Correlation-Id", admitted[0]);
        deliver(job, "done");
    }
}
