package dev.rendezvous.api;

import static dev.rendezvous.api.Api.BASE;
import static dev.rendezvous.api.Api.given;
import static dev.rendezvous.api.Api.uniqueId;
import static dev.rendezvous.api.ApiKeysProfile.KEY_ONE;
import static dev.rendezvous.api.ApiKeysProfile.PUBLIC_URL;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
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
        created.then()
                .statusCode(201)
                .header("Location", equalTo(self))
                .body("callbackUrl", startsWith(self + "/result?token="))
                .body("links.self", equalTo(self))
                .body("links.failure", equalTo(self + "/failure"))
                .body("links.heartbeat", equalTo(self + "/heartbeat"));
        given().header("Authorization", "Bearer " + KEY_ONE)
                .header("Host", "attacker.example")
                .get(BASE + "/" + id + "/result")
                .then()
                .statusCode(202)
                .header("Location", equalTo(self + "/result"))
                .body("links.result", equalTo(self + "/result"));
    }
}
