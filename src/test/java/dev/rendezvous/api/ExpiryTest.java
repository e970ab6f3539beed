package dev.rendezvous.api;

import static dev.rendezvous.support.Api.assertProblem;
import static dev.rendezvous.support.Api.awaitPastTtl;
import static dev.rendezvous.support.Api.create;
import static dev.rendezvous.support.Api.deliver;
import static dev.rendezvous.support.Api.given;
import static dev.rendezvous.support.Api.heartbeat;
import static dev.rendezvous.support.Api.heartbeatUrl;
import static dev.rendezvous.support.Api.heldRead;
import static dev.rendezvous.support.Api.inBackground;
import static dev.rendezvous.support.Api.resultUrl;
import static dev.rendezvous.support.Api.uniqueId;
import static dev.rendezvous.support.Api.url;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.rendezvous.correlation.service.WaiterRegistry;
import dev.rendezvous.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The test profile prunes every 0.2 s, so expiry shows within a second or two of a 1 s TTL. */
@QuarkusTest
class ExpiryTest {

    @Inject
    WaiterRegistry waiters;

    @Test
    void answersAWaiterWith404SoonAfterExpiry() {
        String id = uniqueId("expire-waiter");
        // Long enough for the read to be held before expiry even on a slow machine.
        create(id, 3);
        int before = waiters.waiting();
        CompletableFuture<Response> waiting = heldRead(waiters, () -> Api.result(id, "wait=30"));

        await().atMost(Duration.ofSeconds(10)).until(waiting::isDone);

        assertProblem(waiting.join(), 404, resultUrl(id));
        assertThat(waiters.waiting(), equalTo(before));
        assertProblem(Api.status(id), 404, url(id));
    }

    @Test
    void letsAPrunedIdBeCreatedAgainWithANewToken() {
        String id = uniqueId("expire-recreate");
        String oldToken = create(id, 1).getString("callbackToken");
        CompletableFuture<Response> waiting = inBackground(() -> Api.result(id, "wait=30"));
        // The waiter is answered by the prune job, so its answer means the ID is gone.
        assertProblem(waiting.orTimeout(10, TimeUnit.SECONDS).join(), 404, resultUrl(id));

        JsonPath again = create(id, 60);

        assertThat(again.getString("state"), equalTo("pending"));
        assertThat(again.getString("callbackToken"), not(equalTo(oldToken)));
        assertProblem(deliver(id, oldToken, "stale"), 401, resultUrl(id));
        deliver(id, again.getString("callbackToken"), "fresh").then().statusCode(204);
        Api.result(id).then().statusCode(200).body(equalTo("fresh"));
    }

    @Test
    void answersCallbacksAfterExpiryWith404() {
        String id = uniqueId("expire-callbacks");
        String token = create(id, 1).getString("callbackToken");

        awaitPruned(id);

        assertProblem(deliver(id, token, "late"), 404, resultUrl(id));
        assertProblem(heartbeat(id, token, "{\"ttl\":60}"), 404, heartbeatUrl(id));
        assertProblem(Api.result(id), 404, resultUrl(id));
    }

    @Test
    void expiresACancelledCorrelationToo() {
        String id = uniqueId("expire-cancelled");
        create(id, 1);
        given().when().delete(url(id)).then().statusCode(204);

        awaitPruned(id);

        assertProblem(Api.result(id), 404, resultUrl(id));
    }

    @Test
    void keepsACorrelationAliveWhileHeartbeatsArrive() {
        String id = uniqueId("expire-heartbeat");
        JsonPath created = create(id, 1);
        heartbeat(id, created.getString("callbackToken"), "{\"ttl\":60}").then().statusCode(200);

        awaitPastTtl(created);

        Api.status(id).then().statusCode(200).body("state", equalTo("pending"));
        Api.result(id).then().statusCode(202).body("state", equalTo("pending"));
    }

    private static void awaitPruned(String id) {
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> Api.status(id).statusCode() == 404);
    }
}
