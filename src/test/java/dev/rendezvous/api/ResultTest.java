package dev.rendezvous.api;

import static dev.rendezvous.api.Api.BASE;
import static dev.rendezvous.api.Api.assertProblem;
import static dev.rendezvous.api.Api.create;
import static dev.rendezvous.api.Api.deliver;
import static dev.rendezvous.api.Api.fail;
import static dev.rendezvous.api.Api.given;
import static dev.rendezvous.api.Api.uniqueId;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.nullValue;

import dev.rendezvous.core.WaiterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
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
        fail(
                        id,
                        create(id).getString("callbackToken"),
                        "{\"title\":\"Card declined\",\"detail\":\"Insufficient funds\",\"status\":422}")
                .then()
                .statusCode(204);

        Response result = Api.result(id);

        assertProblem(result, 422, BASE + "/" + id + "/result");
        result.then().body("title", equalTo("Card declined")).body("detail", equalTo("Insufficient funds"));
    }

    @Test
    void answersFailedWith502WhenTheWorkerGaveNoStatus() {
        String id = uniqueId("failed-default");
        fail(id, create(id).getString("callbackToken"), "{\"title\":\"Crashed\",\"detail\":\"Out of memory\"}")
                .then()
                .statusCode(204);

        Response result = Api.result(id);

        assertProblem(result, 502, BASE + "/" + id + "/result");
        result.then().body("title", equalTo("Crashed")).body("detail", equalTo("Out of memory"));
    }

    @Test
    void answersAFailureReportedWithoutDetailsAsACompleteProblem() {
        String id = uniqueId("failed-bare");
        fail(id, create(id).getString("callbackToken"), "{}").then().statusCode(204);

        Response result = Api.result(id);

        // Every error body carries type, title, status, detail and instance, even when the worker said little.
        assertProblem(result, 502, BASE + "/" + id + "/result");
    }

    @Test
    void answersPendingWith202StatusRetryAfterAndLocationOfThisRead() {
        String id = uniqueId("pending");
        String self = create(id).getString("links.self");

        Response result = given().queryParam("wait", 0).when().get(BASE + "/" + id + "/result");

        result.then()
                .statusCode(202)
                .contentType(containsString("application/json"))
                .header("Retry-After", "1")
                .header("Location", self + "/result?wait=0")
                .header("Preference-Applied", nullValue())
                .body("id", equalTo(id))
                .body("state", equalTo("pending"))
                .body("callbackToken", nullValue());
        Api.result(id).then().statusCode(202).header("Location", self + "/result");
    }

    @Test
    void answersPendingAfterTheWaitEnds() {
        String id = uniqueId("wait-ends");
        create(id);
        int before = waiters.waiting();

        Response result = given().queryParam("wait", 1).when().get(BASE + "/" + id + "/result");

        result.then()
                .statusCode(202)
                .contentType(containsString("application/json"))
                .header("Retry-After", "1")
                .body("state", equalTo("pending"));
        // Held for the whole wait, then let go.
        assertThat(result.time(), greaterThanOrEqualTo(900L));
        assertThat(result.time(), lessThan(10_000L));
        await().atMost(Duration.ofSeconds(5)).until(() -> waiters.waiting() == before);
    }

    @Test
    void answersCancelledWith410Problem() {
        String id = uniqueId("cancelled");
        create(id);
        given().when().delete(BASE + "/" + id).then().statusCode(204);

        assertProblem(Api.result(id), 410, BASE + "/" + id + "/result");
    }

    @Test
    void answersUnknownWith404Problem() {
        String id = uniqueId("unknown");

        assertProblem(Api.result(id), 404, BASE + "/" + id + "/result");
    }

    @Test
    void honoursPreferWaitAndReportsIt() {
        String id = uniqueId("prefer");
        create(id);

        Response result =
                given().header("Prefer", "respond-async, wait=1").when().get(BASE + "/" + id + "/result");

        result.then()
                .statusCode(202)
                .contentType(containsString("application/json"))
                .header("Preference-Applied", "wait=1")
                .body("state", equalTo("pending"));
        assertThat(result.time(), greaterThanOrEqualTo(900L));
        assertThat(result.time(), lessThan(10_000L));
    }

    @Test
    void ignoresMalformedPreferWait() {
        String id = uniqueId("prefer-bad");
        create(id);
        int before = waiters.waiting();

        for (String prefer : new String[] {"wait=abc", "wait=-5", "wait=", "wait=1.5"}) {
            Response result = given().header("Prefer", prefer).when().get(BASE + "/" + id + "/result");

            result.then()
                    .statusCode(202)
                    .contentType(containsString("application/json"))
                    .header("Preference-Applied", nullValue())
                    .body("state", equalTo("pending"));
            assertThat(prefer, result.time(), lessThan(900L));
        }
        assertThat(waiters.waiting(), equalTo(before));
    }

    @Test
    void letsTheWaitQueryParameterWinOverPrefer() {
        String id = uniqueId("query-wins");
        create(id);

        Response result =
                given().queryParam("wait", 0).header("Prefer", "wait=60").when().get(BASE + "/" + id + "/result");

        result.then()
                .statusCode(202)
                .contentType(containsString("application/json"))
                .header("Preference-Applied", nullValue())
                .body("state", equalTo("pending"));
        assertThat(result.time(), lessThan(900L));
    }

    @Test
    void returnsAResultThatArrivedBeforeAnyoneWaitedAtOnce() {
        String id = uniqueId("early");
        deliver(id, create(id).getString("callbackToken"), "early").then().statusCode(204);

        Response result = given().queryParam("wait", 60).when().get(BASE + "/" + id + "/result");

        result.then().statusCode(200).header("Content-Type", "text/plain").body(equalTo("early"));
        assertThat(result.time(), lessThan(5_000L));
    }

    @Test
    void removesAConsumedResultAfterTheRead() {
        String id = uniqueId("consume");
        deliver(id, create(id).getString("callbackToken"), "once").then().statusCode(204);

        Response first = given().queryParam("consume", "true").when().get(BASE + "/" + id + "/result");
        Response second = given().queryParam("consume", "true").when().get(BASE + "/" + id + "/result");

        first.then().statusCode(200).header("X-Content-Type-Options", "nosniff").body(equalTo("once"));
        assertProblem(second, 404, BASE + "/" + id + "/result");
        assertProblem(Api.status(id), 404, BASE + "/" + id);
    }

    @Test
    void keepsAPendingCorrelationReadWithConsume() {
        String id = uniqueId("consume-pending");
        create(id);

        given().queryParam("consume", "true")
                .when()
                .get(BASE + "/" + id + "/result")
                .then()
                .statusCode(202)
                .contentType(containsString("application/json"))
                .body("state", equalTo("pending"));

        assertThat(Api.state(id), equalTo("pending"));
    }

    @Test
    void keepsAResultReadWithoutConsume() {
        String id = uniqueId("no-consume");
        deliver(id, create(id).getString("callbackToken"), "again").then().statusCode(204);

        Api.result(id).then().statusCode(200).body(equalTo("again"));
        given().queryParam("consume", "false")
                .when()
                .get(BASE + "/" + id + "/result")
                .then()
                .statusCode(200)
                .body(equalTo("again"));

        Api.result(id)
                .then()
                .statusCode(200)
                .header("Content-Type", "text/plain")
                .body(equalTo("again"));
    }

    @Test
    void keepsAResultReadableAfterItsTtlForTheRetention() {
        String id = uniqueId("retention");
        JsonPath created = create(id, 1);
        deliver(id, created.getString("callbackToken"), "retained").then().statusCode(204);
        Instant ttlEnd = Instant.parse(created.getString("expiresAt"));

        // Waits for the clock only; the prune job runs every 0.2 s meanwhile.
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> Instant.now().isAfter(ttlEnd.plusMillis(600)));

        Api.result(id).then().statusCode(200).body(equalTo("retained"));
        Api.status(id).then().statusCode(200).body("state", equalTo("completed"));
    }
}
