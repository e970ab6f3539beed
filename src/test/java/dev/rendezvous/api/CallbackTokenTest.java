package dev.rendezvous.api;

import static dev.rendezvous.support.Api.assertCompletedWith;
import static dev.rendezvous.support.Api.assertProblem;
import static dev.rendezvous.support.Api.assertStillPending;
import static dev.rendezvous.support.Api.create;
import static dev.rendezvous.support.Api.deliver;
import static dev.rendezvous.support.Api.fail;
import static dev.rendezvous.support.Api.failureUrl;
import static dev.rendezvous.support.Api.given;
import static dev.rendezvous.support.Api.resultUrl;
import static dev.rendezvous.support.Api.uniqueId;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Callbacks authenticate with the correlation's token, as a Bearer header or a query parameter. */
@QuarkusTest
class CallbackTokenTest {

    private static final byte[] RESULT = "{\"sum\":3}".getBytes(StandardCharsets.UTF_8);

    @Test
    void deliversWithBearerToken() {
        String id = uniqueId("bearer");
        String token = create(id).getString("callbackToken");

        Response delivered = deliver(id, token, "application/json", RESULT);

        delivered.then().statusCode(204).body(emptyString());
        assertCompletedWith(id, "application/json", RESULT);
    }

    @Test
    void deliversWithTokenQueryParameter() {
        String id = uniqueId("query-token");
        String token = create(id).getString("callbackToken");

        Response delivered = postResult(id, given().queryParam("token", token));

        delivered.then().statusCode(204).body(emptyString());
        assertCompletedWith(id, "application/json", RESULT);
    }

    @Test
    void acceptsTheSameTokenInHeaderAndQuery() {
        String id = uniqueId("both-same");
        String token = create(id).getString("callbackToken");

        Response delivered = postResult(
                id, given().header("Authorization", "Bearer " + token).queryParam("token", token));

        delivered.then().statusCode(204).body(emptyString());
        assertCompletedWith(id, "application/json", RESULT);
    }

    @Test
    void refusesAMissingTokenWithAChallenge() {
        String id = uniqueId("no-token");
        create(id);

        Response refused = postResult(id, given());

        assertProblem(refused, 401, resultUrl(id));
        assertThat(refused.header("WWW-Authenticate"), startsWith("Bearer"));
        assertStillPending(id);
    }

    @Test
    void refusesAWrongToken() {
        String id = uniqueId("wrong-token");
        String token = create(id).getString("callbackToken");

        Response refused = deliver(id, token.substring(1) + "x", "application/json", RESULT);

        assertProblem(refused, 401, resultUrl(id));
        assertThat(refused.header("WWW-Authenticate"), startsWith("Bearer"));
        assertProblem(fail(id, "wrong", "{\"title\":\"x\"}"), 401, failureUrl(id));
        assertStillPending(id);
    }

    @Test
    void refusesAnotherCorrelationsToken() {
        String id = uniqueId("mine");
        create(id);
        String otherToken = create(uniqueId("theirs")).getString("callbackToken");

        assertProblem(deliver(id, otherToken, "application/json", RESULT), 401, resultUrl(id));

        assertStillPending(id);
    }

    @Test
    void refusesANonBearerAuthorization() {
        String id = uniqueId("basic");
        create(id);

        Response refused = postResult(id, given().header("Authorization", "Basic dXNlcjpwYXNz"));

        assertProblem(refused, 401, resultUrl(id));
        assertStillPending(id);
    }

    @Test
    void refusesDifferentTokensInHeaderAndQuery() {
        String id = uniqueId("both-different");
        String token = create(id).getString("callbackToken");

        Response refused = postResult(
                id, given().header("Authorization", "Bearer " + token).queryParam("token", token + "x"));

        assertProblem(refused, 400, resultUrl(id));
        assertStillPending(id);
    }

    /** Posts {@link #RESULT} with whatever credentials the given request carries. */
    private static Response postResult(String id, RequestSpecification credentials) {
        return credentials.contentType("application/json").body(RESULT).when().post(resultUrl(id));
    }
}
