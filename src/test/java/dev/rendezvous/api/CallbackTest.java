package dev.rendezvous.api;

import static dev.rendezvous.support.Api.assertCompletedWith;
import static dev.rendezvous.support.Api.assertFailedWith;
import static dev.rendezvous.support.Api.assertProblem;
import static dev.rendezvous.support.Api.assertStillPending;
import static dev.rendezvous.support.Api.create;
import static dev.rendezvous.support.Api.createFailed;
import static dev.rendezvous.support.Api.deliver;
import static dev.rendezvous.support.Api.fail;
import static dev.rendezvous.support.Api.failureUrl;
import static dev.rendezvous.support.Api.given;
import static dev.rendezvous.support.Api.resultUrl;
import static dev.rendezvous.support.Api.uniqueId;
import static dev.rendezvous.support.Api.url;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;

import dev.rendezvous.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CallbackTest {

    private static final byte[] RESULT = "{\"sum\":3}".getBytes(StandardCharsets.UTF_8);

    @Test
    void acknowledgesAByteIdenticalRepeat() {
        String id = uniqueId("repeat");
        String token = createCompletedWithResult(id);

        deliver(id, token, "application/json", RESULT).then().statusCode(204).body(emptyString());

        assertCompletedWith(id, "application/json", RESULT);
    }

    @Test
    void refusesTheSameBytesWithAnotherContentType() {
        String id = uniqueId("other-type");
        String token = createCompletedWithResult(id);

        assertProblem(deliver(id, token, "text/plain", RESULT), 409, resultUrl(id));

        assertCompletedWith(id, "application/json", RESULT);
    }

    @Test
    void refusesADifferentResult() {
        String id = uniqueId("other-bytes");
        String token = createCompletedWithResult(id);

        assertProblem(deliver(id, token, "application/json", "{\"sum\":4}".getBytes()), 409, resultUrl(id));

        assertCompletedWith(id, "application/json", RESULT);
    }

    @Test
    void refusesAFailureAfterAResult() {
        String id = uniqueId("result-then-failure");
        String token = createCompletedWithResult(id);

        assertProblem(fail(id, token, "{\"title\":\"Late\"}"), 409, failureUrl(id));

        assertCompletedWith(id, "application/json", RESULT);
    }

    @Test
    void refusesAResultAfterAFailure() {
        String id = uniqueId("failure-then-result");
        String token = create(id).getString("callbackToken");
        fail(id, token, "{\"title\":\"Broken\",\"detail\":\"No disk\",\"status\":500}")
                .then()
                .statusCode(204);

        assertProblem(deliver(id, token, "application/json", RESULT), 409, resultUrl(id));

        assertFailedWith(id, 500, "Broken");
    }

    @Test
    void acknowledgesAnIdenticalFailureRepeatAndRefusesAnotherFailure() {
        String id = uniqueId("failure-repeat");
        String token = create(id).getString("callbackToken");
        String report = "{\"title\":\"Broken\",\"detail\":\"No disk\",\"status\":500}";
        fail(id, token, report).then().statusCode(204);

        fail(id, token, report).then().statusCode(204).body(emptyString());
        assertProblem(
                fail(id, token, "{\"title\":\"Broken\",\"detail\":\"No disk\",\"status\":501}"), 409, failureUrl(id));

        assertFailedWith(id, 500, "Broken");
    }

    @Test
    void answersUnknownCorrelationWith404() {
        String id = uniqueId("nobody");

        assertProblem(deliver(id, "some-token", "application/json", RESULT), 404, resultUrl(id));
        assertProblem(fail(id, "some-token", "{\"title\":\"x\"}"), 404, failureUrl(id));
        assertProblem(Api.status(id), 404, url(id));
    }

    @Test
    void answersCancelledCorrelationWith410() {
        String id = uniqueId("cancelled");
        String token = create(id).getString("callbackToken");
        given().when().delete(url(id)).then().statusCode(204);

        assertProblem(deliver(id, token, "application/json", RESULT), 410, resultUrl(id));
        assertProblem(fail(id, token, "{\"title\":\"x\"}"), 410, failureUrl(id));

        assertThat(Api.state(id), equalTo("cancelled"));
    }

    @Test
    void refusesAFailureStatusOutsideTheErrorRange() {
        String id = uniqueId("bad-status");
        String token = create(id).getString("callbackToken");

        for (String status : new String[] {"399", "600", "\"abc\"", "\"422\"", "422.5", "0"}) {
            Response refused = fail(id, token, "{\"title\":\"x\",\"status\":" + status + "}");

            assertProblem(refused, 400, failureUrl(id));
        }
        assertStillPending(id);
    }

    @Test
    void acceptsTheBoundsOfTheFailureStatusRange() {
        String low = uniqueId("status-400");
        String high = uniqueId("status-599");

        createFailed(low, "{\"title\":\"Low\",\"detail\":\"d\",\"status\":400}");
        createFailed(high, "{\"title\":\"High\",\"detail\":\"d\",\"status\":599}");

        assertFailedWith(low, 400, "Low");
        assertFailedWith(high, 599, "High");
    }

    /** Creates the correlation and completes it with {@link #RESULT}; returns its token. */
    private static String createCompletedWithResult(String id) {
        String token = create(id).getString("callbackToken");
        deliver(id, token, "application/json", RESULT).then().statusCode(204);
        return token;
    }
}
