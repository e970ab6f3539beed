package dev.rendezvous.api;

import static dev.rendezvous.support.Api.BASE;
import static dev.rendezvous.support.Api.given;
import static dev.rendezvous.support.Api.uniqueId;
import static dev.rendezvous.support.ApiKeysProfile.KEY_ONE;
import static dev.rendezvous.support.ApiKeysProfile.PUBLIC_URL;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import dev.rendezvous.support.ApiKeysProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** With {@code public-url} set, forged Host or forwarding headers cannot redirect a worker's callbacks. */
@QuarkusTest
@TestProfile(ApiKeysProfile.class)
class PublicUrlTest {

    @Test
    void handsOutOnlyPublicUrlsWhateverTheRequestHeadersClaim() {
        String id = uniqueId("forged");

        Response created = given().header("Authorization", "Bearer " + KEY_ONE)
                .header("Host", "attacker.example")
                .header("X-Forwarded-Host", "attacker.example")
                .header("X-Forwarded-Proto", "http")
                .header("Forwarded", "host=attacker.example;proto=http")
                .contentType("application/json")
                .body(Map.of("id", id))
                .post(BASE);

        String self = PUBLIC_URL + "/v1/correlations/" + id;
        // Worker URLs name the correlation in the key's scope (12 characters and '~' before the ID).
        String worker = Pattern.quote(PUBLIC_URL + "/v1/correlations/") + "[A-Za-z0-9_-]{12}~" + Pattern.quote(id);
        created.then()
                .statusCode(201)
                .header("Location", equalTo(self))
                .body("callbackUrl", matchesPattern(worker + "/result\\?token=.+"))
                .body("links.self", equalTo(self))
                .body("links.failure", matchesPattern(worker + "/failure"))
                .body("links.heartbeat", matchesPattern(worker + "/heartbeat"));
        given().header("Authorization", "Bearer " + KEY_ONE)
                .header("Host", "attacker.example")
                .get(BASE + "/" + id + "/result")
                .then()
                .statusCode(202)
                .header("Location", equalTo(self + "/result"))
                .body("links.result", equalTo(self + "/result"));
    }
}
