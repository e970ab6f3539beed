package dev.rendezvous.api;

import static dev.rendezvous.support.Api.BASE;
import static dev.rendezvous.support.Api.assertProblem;
import static dev.rendezvous.support.Api.given;
import static dev.rendezvous.support.Api.uniqueId;
import static dev.rendezvous.support.ApiKeysProfile.KEY_ONE;
import static dev.rendezvous.support.ApiKeysProfile.KEY_TWO;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rendezvous.correlation.service.WaiterRegistry;
import dev.rendezvous.support.ApiKeysProfile;
import dev.rendezvous.support.LogCapture;
import dev.rendezvous.support.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With API keys on, only the key that created a correlation can see or act on it as a client. */
@QuarkusTest
@TestProfile(ApiKeysProfile.class)
class ApiKeysTest {

    @Inject
    WaiterRegistry waiters;

    @RegisterExtension
    final LogCapture log = new LogCapture();

    @Test
    void refusesClientRequestsWithoutAValidKey() {
        Response missing = given().contentType("application/json").body("{}").post(BASE);
        Response wrong =
                as("not-a-key").contentType("application/json").body("{}").post(BASE);
        Response basic = given().header("Authorization", "Basic " + KEY_ONE).get(BASE + "/anything");

        assertProblem(missing, 401, BASE);
        missing.then().header("WWW-Authenticate", equalTo("Bearer"));
        assertProblem(wrong, 401, BASE);
        assertProblem(basic, 401, BASE + "/anything");
    }

    @Test
    void hidesACorrelationFromEveryOtherKeyWithoutSideEffects() {
        String id = uniqueId("owned");
        String callback = local(create(KEY_ONE, id).getString("callbackUrl"));
        int before = waiters.waiting();

        assertProblem(as(KEY_TWO).get(BASE + "/" + id), 404, BASE + "/" + id);
        assertProblem(as(KEY_TWO).get(BASE + "/" + id + "/result?wait=30"), 404, BASE + "/" + id + "/result");
        assertProblem(as(KEY_TWO).delete(BASE + "/" + id), 404, BASE + "/" + id);
        assertEquals(before, waiters.waiting());

        as(KEY_ONE).get(BASE + "/" + id).then().statusCode(200).body("state", equalTo("pending"));
        given().contentType("text/plain")
                .body("for key one")
                .post(callback)
                .then()
                .statusCode(204);
        assertProblem(as(KEY_TWO).get(BASE + "/" + id + "/result?consume=true"), 404, BASE + "/" + id + "/result");
        as(KEY_ONE).get(BASE + "/" + id + "/result").then().statusCode(200).body(equalTo("for key one"));
    }

    @Test
    void letsEachKeyReadAndCancelItsOwnCorrelations() {
        String first = uniqueId("rotation-one");
        String second = uniqueId("rotation-two");
        create(KEY_ONE, first);
        create(KEY_TWO, second);

        as(KEY_TWO).delete(BASE + "/" + second).then().statusCode(204);
        as(KEY_ONE).get(BASE + "/" + first + "/result?consume=true").then().statusCode(202);

        as(KEY_TWO).get(BASE + "/" + second).then().statusCode(200).body("state", equalTo("cancelled"));
        as(KEY_ONE).get(BASE + "/" + first).then().statusCode(200).body("state", equalTo("pending"));
    }

    @Test
    void needsOnlyTheCallbackTokenOnTheWorkerUrlsHandedOut() {
        String id = uniqueId("worker");
        JsonPath created = create(KEY_ONE, id);

        given().contentType("application/json")
                .body("{\"ttl\":60}")
                .post(local(created.getString("links.heartbeat")) + "?token=" + created.getString("callbackToken"))
                .then()
                .statusCode(200)
                .body("id", equalTo(id));
        given().contentType("text/plain")
                .body("no api key needed")
                .post(local(created.getString("callbackUrl")))
                .then()
                .statusCode(204);

        as(KEY_ONE).get(BASE + "/" + id + "/result").then().statusCode(200).body(equalTo("no api key needed"));
    }

    @Test
    void scopesClientChosenIdsPerKeySoThatNoKeyLearnsOfAnothersId() {
        String id = uniqueId("order-42");
        JsonPath first = create(KEY_ONE, id);
        JsonPath second = create(KEY_TWO, id);
        assertThat(second.getString("id"), equalTo(id));
        assertThat(second.getString("callbackUrl"), not(equalTo(first.getString("callbackUrl"))));

        given().contentType("text/plain")
                .body("for key one")
                .post(local(first.getString("callbackUrl")))
                .then()
                .statusCode(204);
        as(KEY_ONE).get(BASE + "/" + id + "/result").then().statusCode(200).body(equalTo("for key one"));
        as(KEY_TWO).get(BASE + "/" + id).then().statusCode(200).body("state", equalTo("pending"));
        as(KEY_TWO).delete(BASE + "/" + id).then().statusCode(204);
        as(KEY_ONE).get(BASE + "/" + id).then().statusCode(200).body("state", equalTo("completed"));
        // Its own ID again is a conflict; nobody's ID is named in a problem another key can see.
        assertProblem(
                as(KEY_ONE)
                        .contentType("application/json")
                        .body(Map.of("id", id))
                        .post(BASE),
                409,
                BASE);
        // A worker must use the URL it was given: the bare ID names no key's correlation.
        given().contentType("text/plain")
                .body("guessed")
                .post(BASE + "/" + id + "/result?token=" + first.getString("callbackToken"))
                .then()
                .statusCode(404);
    }

    /** A handed-out URL as a path on the service under test (the profile sets a public URL). */
    private static String local(String url) {
        assertThat(url, startsWith(ApiKeysProfile.PUBLIC_URL));
        return url.substring(ApiKeysProfile.PUBLIC_URL.length());
    }

    @Test
    void refusesAKeyMoreCorrelationsThanItsQuotaWithoutAffectingOtherKeys() {
        for (int i = 0; i < ApiKeysProfile.MAX_PER_KEY; i++) {
            create(ApiKeysProfile.KEY_THREE, uniqueId("quota"));
        }
        String refused = uniqueId("quota-refused");

        Response answer = as(ApiKeysProfile.KEY_THREE)
                .contentType("application/json")
                .body(Map.of("id", refused))
                .post(BASE);

        assertProblem(answer, 429, BASE);
        answer.then().header("Retry-After", equalTo("1"));
        assertProblem(as(ApiKeysProfile.KEY_THREE).get(BASE + "/" + refused), 404, BASE + "/" + refused);
        create(KEY_TWO, uniqueId("other-key"));
    }

    @Test
    void writesNoApiKeyToTheLog() throws IOException {
        String id = uniqueId("logged-key");
        JsonPath created = create(KEY_ONE, id);
        String token = created.getString("callbackToken");
        as(KEY_TWO).get(BASE + "/" + id).then().statusCode(404);
        as(KEY_ONE + "x").get(BASE + "/" + id).then().statusCode(401);
        RawHttp.exchange(
                "GET " + BASE + "/" + id + " HTTP/1.1\r\nHost: x/y\r\nAuthorization: Bearer " + KEY_ONE + "\r\n\r\n");
        given().contentType("text/plain")
                .body("done")
                .post(local(created.getString("callbackUrl")))
                .then()
                .statusCode(204);
        as(KEY_ONE).get(BASE + "/" + id + "/result?consume=true").then().statusCode(200);

        assertThat(log.lines(), not(hasSize(0)));
        for (String line : log.lines()) {
            for (String secret : List.of(KEY_ONE, KEY_TWO, ApiKeysProfile.KEY_THREE, token)) {
                assertThat(line, not(containsString(secret)));
            }
        }
    }

    private static JsonPath create(String key, String id) {
        return as(key).contentType("application/json")
                .body(Map.of("id", id, "ttl", 60))
                .post(BASE)
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    private static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key);
    }
}
