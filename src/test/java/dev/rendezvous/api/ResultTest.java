package dev.rendezvous.api;

import static dev.rendezvous.support.Api.assertFailedWith;
import static dev.rendezvous.support.Api.assertProblem;
import static dev.rendezvous.support.Api.awaitPastTtl;
import static dev.rendezvous.support.Api.create;
import static dev.rendezvous.support.Api.createCompleted;
import static dev.rendezvous.support.Api.createFailed;
import static dev.rendezvous.support.Api.deliver;
import static dev.rendezvous.support.Api.given;
import static dev.rendezvous.support.Api.resultUrl;
import static dev.rendezvous.support.Api.uniqueId;
import static dev.rendezvous.support.Api.url;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.nullValue;

import dev.rendezvous.correlation.service.WaiterRegistry;
import dev.rendezvous.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ResultTest {

    private static final byte[] ANY_BYTES = {0, 1, 2, (byte) 0xFF, (byte) 0xFE, '<', 's', '>', '\r', '\n'};
    private static final String ANY_TYPE = "application/x-anything; version=2";

    @Inject
    WaiterRegistry waiters;

    @Test
    void answersCompletedWithTheWorkersExactBytesAndContentType() {
        String id = uniqueId("bytes");
        deliver(id, create(id).getString("callbackToken"), ANY_TYPE, ANY_BYTES)
                .then()
                .statusCode(204);

        Response result = Api.result(id);

        result.then()
                .statusCode(200)
                .header("Content-Type", ANY_TYPE)
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "sandbox");
        assertThat(result.asByteArray(), equalTo(ANY_BYTES));
    }

    @Test
    void answersFailedWithTheReportedStatusAsProblem() {
        String id = uniqueId("failed");
        createFailed(id, "{\"title\":\"Card declined\",\"detail\":\"Insufficient funds\",\"status\":422}");

        assertFailedWith(id, 422, "Card declined").then().body("detail", equalTo("Insufficient funds"));
    }

    @Test
    void answersFailedWith502WhenTheWorkerGaveNoStatus() {
        String id = uniqueId("failed-default");
        createFailed(id, "{\"title\":\"Crashed\",\"detail\":\"Out of memory\"}");

        assertFailedWith(id, 502, "Crashed").then().body("detail", equalTo("Out of memory"));
    }

    @Test
    void answersAFailureReportedWithoutDetailsAsACompleteProblem() {
        String id = uniqueId("failed-bare");
        createFailed(id, "{}");

        // Every error body carries type, title, status, detail and instance, even when the worker said little.
        assertProblem(Api.result(id), 502, resultUrl(id));
    }

    @Test
    void answersPendingWith202StatusRetryAfterAndLocationOfThisRead() {
        String id = uniqueId("pending");
        String self = create(id).getString("links.self");

        Response result = Api.result(id, "wait=0");

        assertPending(result)
                .header("Retry-After", "1")
                .header("Location", self + "/result?wait=0")
                .header("Preference-Applied", nullValue())
                .body("id", equalTo(id))
                .body("callbackToken", nullValue());
        Api.result(id).then().statusCode(202).header("Location", self + "/result");
    }

    @Test
    void answersPendingAfterTheWaitEnds() {
        String id = uniqueId("wait-ends");
        create(id);
        int before = waiters.waiting();

        Response result = Api.result(id, "wait=1");

        assertPending(result).header("Retry-After", "1");
        // Held for the whole wait, then let go.
        assertHeldForAboutOneSecond(result);
        await().atMost(Duration.ofSeconds(5)).until(() -> waiters.waiting() == before);
    }

    @Test
    void answersCancelledWith410Problem() {
        String id = uniqueId("cancelled");
        create(id);
        given().when().delete(url(id)).then().statusCode(204);

        assertProblem(Api.result(id), 410, resultUrl(id));
    }

    @Test
    void answersUnknownWith404Problem() {
        String id = uniqueId("unknown");

        assertProblem(Api.result(id), 404, resultUrl(id));
    }

    @Test
    void honoursPreferWaitAndReportsIt() {
        String id = uniqueId("prefer");
        create(id);

        Response result =
                given().header("Prefer", "respond-async, wait=1").when().get(resultUrl(id));

        assertPending(result).header("Preference-Applied", "wait=1");
        assertHeldForAboutOneSecond(result);
    }

    @Test
    void ignoresMalformedPreferWait() {
        String id = uniqueId("prefer-bad");
        create(id);
        int before = waiters.waiting();

        for (String prefer : new String[] {"wait=abc", "wait=-5", "wait=", "wait=1.5"}) {
            Response result = given().header("Prefer", prefer).when().get(resultUrl(id));

            assertPending(result).header("Preference-Applied", nullValue());
            assertThat(prefer, result.time(), lessThan(900L));
        }
        assertThat(waiters.waiting(), equalTo(before));
    }

    @Test
    void letsTheWaitQueryParameterWinOverPrefer() {
        String id = uniqueId("query-wins");
        create(id);

        Response result =
                given().queryParam("wait", 0).header("Prefer", "wait=60").when().get(resultUrl(id));

        assertPending(result).header("Preference-Applied", nullValue());
        assertThat(result.time(), lessThan(900L));
    }

    @Test
    void returnsAResultThatArrivedBeforeAnyoneWaitedAtOnce() {
        String id = uniqueId("early");
        createCompleted(id, "early");

        Response result = Api.result(id, "wait=60");

        result.then().statusCode(200).header("Content-Type", "text/plain").body(equalTo("early"));
        assertThat(result.time(), lessThan(5_000L));
    }

    @Test
    void removesAConsumedResultAfterTheRead() {
        String id = uniqueId("consume");
        createCompleted(id, "once");

        Response first = Api.result(id, "consume=true");
        Response second = Api.result(id, "consume=true");

        first.then().statusCode(200).header("X-Content-Type-Options", "nosniff").body(equalTo("once"));
        assertProblem(second, 404, resultUrl(id));
        assertProblem(Api.status(id), 404, url(id));
    }

    @Test
    void keepsAPendingCorrelationReadWithConsume() {
        String id = uniqueId("consume-pending");
        create(id);

        Response result = Api.result(id, "consume=true");

        assertPending(result);
        assertThat(Api.state(id), equalTo("pending"));
    }

    @Test
    void keepsAResultReadWithoutConsume() {
        String id = uniqueId("no-consume");
        createCompleted(id, "again");

        Api.result(id).then().statusCode(200).body(equalTo("again"));
        Api.result(id, "consume=false").then().statusCode(200).body(equalTo("again"));

        Api.result(id)
                .then()
                .statusCode(200)
                .header("Content-Type", "text/plain")
                .body(equalTo("again"));
    }

    @Test
    void keepsAResultReadableAfterItsTtlForTheRetention() {
        String id = uniqueId("retention");
        // Two seconds leave room to deliver before the TTL ends, even on a slow machine.
        JsonPath created = create(id, 2);
        deliver(id, created.getString("callbackToken"), "retained").then().statusCode(204);

        awaitPastTtl(created);

        Api.result(id).then().statusCode(200).body(equalTo("retained"));
        Api.status(id).then().statusCode(200).body("state", equalTo("completed"));
    }

    /** Checks a 202 pending answer; returns it for the checks particular to the read. */
    private static ValidatableResponse assertPending(Response result) {
        return result.then()
                .statusCode(202)
                .contentType(containsString("application/json"))
                .body("state", equalTo("pending"));
    }

    private static void assertHeldForAboutOneSecond(Response result) {
        assertThat(result.time(), greaterThanOrEqualTo(900L));
        assertThat(result.time(), lessThan(10_000L));
    }
}
