package dev.rendezvous.api;

import static dev.rendezvous.support.Api.assertProblem;
import static dev.rendezvous.support.Api.between;
import static dev.rendezvous.support.Api.create;
import static dev.rendezvous.support.Api.deliver;
import static dev.rendezvous.support.Api.given;
import static dev.rendezvous.support.Api.heartbeat;
import static dev.rendezvous.support.Api.heartbeatUrl;
import static dev.rendezvous.support.Api.uniqueId;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.rendezvous.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
class HeartbeatTest {

    @Test
    void movesExpiryToNowPlusTheGivenTtl() {
        String id = uniqueId("beat");
        String token = create(id, 60).getString("callbackToken");

        Response beaten = heartbeat(id, token, "{\"ttl\":600}");

        beaten.then()
                .statusCode(200)
                .contentType(containsString("application/json"))
                .body("id", equalTo(id))
                .body("state", equalTo("pending"))
                .body("$", not(hasKey("callbackToken")));
        JsonPath status = beaten.jsonPath();
        assertThat(extension(status), equalTo(Duration.ofSeconds(600)));
        Api.status(id).then().statusCode(200).body("expiresAt", equalTo(status.getString("expiresAt")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "|", textBlock = """
            capped at max TTL                       | 60 | {"ttl":1000000} | 86400
            by the correlations own TTL without one | 90 | {}              | 90
            """)
    void extendsByTheCorrelationsOwnTtlWithoutOneAndAtMostByMaxTtl(
            String extension, long createdTtl, String body, long expectedSeconds) {
        String id = uniqueId("beat-extension");
        String token = create(id, createdTtl).getString("callbackToken");

        JsonPath status = acceptedJson(heartbeat(id, token, body));

        assertThat(extension(status), equalTo(Duration.ofSeconds(expectedSeconds)));
    }

    @Test
    void showsTheLatestDetailsToWatchers() {
        String id = uniqueId("beat-details");
        String token = create(id).getString("callbackToken");
        heartbeat(id, token, "{\"details\":{\"progress\":20}}").then().statusCode(200);

        heartbeat(id, token, "{\"details\":{\"progress\":40,\"step\":\"upload\"}}")
                .then()
                .statusCode(200)
                .body("lastHeartbeat.details.progress", equalTo(40));

        Api.status(id)
                .then()
                .statusCode(200)
                .contentType(containsString("application/json"))
                .body("lastHeartbeat.at", notNullValue())
                .body("lastHeartbeat.details.progress", equalTo(40))
                .body("lastHeartbeat.details.step", equalTo("upload"));
    }

    @Test
    void acceptsTheTokenAsQueryParameter() {
        String id = uniqueId("beat-query");
        String token = create(id).getString("callbackToken");

        given().queryParam("token", token)
                .contentType("application/json")
                .body("{\"details\":{\"n\":1}}")
                .when()
                .post(heartbeatUrl(id))
                .then()
                .statusCode(200)
                .contentType(containsString("application/json"))
                .body("lastHeartbeat.details.n", equalTo(1));
    }

    @Test
    void refusesDetailsOver4KiB() {
        String id = uniqueId("beat-large");
        String token = create(id, 60).getString("callbackToken");
        String expiresAt = Api.status(id).path("expiresAt");
        String large = "{\"ttl\":600,\"details\":{\"log\":\"" + "x".repeat(4100) + "\"}}";

        assertProblem(heartbeat(id, token, large), 413, heartbeatUrl(id));

        assertNoHeartbeatRecorded(id, expiresAt);
    }

    @Test
    void refusesDetailsNestedDeeperOrWithLongerNumbersThanTheJsonLimits() {
        String id = uniqueId("beat-deep");
        String token = create(id, 60).getString("callbackToken");
        String expiresAt = Api.status(id).path("expiresAt");
        String deep = "{\"details\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(40) + "}";
        String longNumber = "{\"details\":{\"progress\":" + "9".repeat(25) + "}}";

        Response tooDeep = heartbeat(id, token, deep);
        Response tooLong = heartbeat(id, token, longNumber);

        assertProblem(tooDeep, 400, heartbeatUrl(id));
        assertThat(tooDeep.path("detail"), containsString("nests too deep"));
        assertProblem(tooLong, 400, heartbeatUrl(id));
        assertNoHeartbeatRecorded(id, expiresAt);
        heartbeat(id, token, "{\"details\":" + "{\"a\":".repeat(20) + "1" + "}".repeat(20) + "}")
                .then()
                .statusCode(200);
    }

    @Test
    void refusesDetailsThatAreNotAnObjectAndBadTtls() {
        String id = uniqueId("beat-bad");
        String token = create(id, 60).getString("callbackToken");
        String expiresAt = Api.status(id).path("expiresAt");

        for (String body : new String[] {
            "{\"details\":5}",
            "{\"details\":[1]}",
            "{\"ttl\":0}",
            "{\"ttl\":-1}",
            "{\"ttl\":\"60\"}",
            "{\"ttl\":1.5}",
            "{\"extra\":1}",
            "[]",
            "{"
        }) {
            assertProblem(heartbeat(id, token, body), 400, heartbeatUrl(id));
        }

        assertNoHeartbeatRecorded(id, expiresAt);
    }

    @Test
    void refusesAHeartbeatOnACompletedCorrelation() {
        String id = uniqueId("beat-done");
        String token = create(id).getString("callbackToken");
        deliver(id, token, "done").then().statusCode(204);
        String expiresAt = Api.status(id).path("expiresAt");

        assertProblem(heartbeat(id, token, "{\"ttl\":600}"), 409, heartbeatUrl(id));

        Api.status(id)
                .then()
                .statusCode(200)
                .body("state", equalTo("completed"))
                .body("expiresAt", equalTo(expiresAt));
        Api.result(id).then().statusCode(200).body(equalTo("done"));
    }

    @Test
    void refusesAHeartbeatWithoutTheRightToken() {
        String id = uniqueId("beat-auth");
        String token = create(id, 60).getString("callbackToken");
        String expiresAt = Api.status(id).path("expiresAt");

        Response missing = given().contentType("application/json")
                .body("{\"ttl\":600}")
                .when()
                .post(heartbeatUrl(id));
        assertProblem(missing, 401, heartbeatUrl(id));
        assertThat(missing.header("WWW-Authenticate"), notNullValue());
        assertProblem(heartbeat(id, token + "x", "{\"ttl\":600}"), 401, heartbeatUrl(id));

        assertNoHeartbeatRecorded(id, expiresAt);
    }

    @Test
    void answersAHeartbeatOnAnUnknownCorrelationWith404() {
        String id = uniqueId("beat-unknown");

        assertProblem(heartbeat(id, "token", "{}"), 404, heartbeatUrl(id));
    }

    private static JsonPath acceptedJson(Response beaten) {
        return beaten.then()
                .statusCode(200)
                .contentType(containsString("application/json"))
                .extract()
                .jsonPath();
    }

    /** How far the heartbeat moved the expiry beyond the moment it arrived. */
    private static Duration extension(JsonPath status) {
        return between(status.getString("lastHeartbeat.at"), status.getString("expiresAt"));
    }

    private static void assertNoHeartbeatRecorded(String id, String expiresAt) {
        Api.status(id)
                .then()
                .statusCode(200)
                .body("expiresAt", equalTo(expiresAt))
                .body("$", not(hasKey("lastHeartbeat")));
    }
}
