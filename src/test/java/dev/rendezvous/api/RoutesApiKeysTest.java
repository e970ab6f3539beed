package dev.rendezvous.api;

import static dev.rendezvous.support.Api.assertProblem;
import static dev.rendezvous.support.Api.given;
import static dev.rendezvous.support.Api.uniqueId;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

import dev.rendezvous.support.ApiKeysProfile;
import dev.rendezvous.support.RoutesApiKeysProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Route submissions under API keys: the submitting key owns the correlation; workers need none. */
@QuarkusTest
@TestProfile(RoutesApiKeysProfile.class)
class RoutesApiKeysTest {

    private static Response submit(String key, String id) {
        var request = given().contentType("text/plain")
                .body("keyed job".getBytes(StandardCharsets.UTF_8))
                .queryParam("id", id);
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return request.post("/v1/routes/keyed/correlations");
    }

    @Test
    void theSubmittingKeyOwnsTheCorrelationAndTheWorkerAnswersThroughThePublicUrl() {
        String id = uniqueId("keyed");
        assertProblem(submit(null, id), 401, null);
        submit(ApiKeysProfile.KEY_ONE, id).then().statusCode(202);
        String result = "/v1/correlations/" + id + "/result";
        assertProblem(
                given().header("Authorization", "Bearer " + ApiKeysProfile.KEY_TWO)
                        .get(result),
                404,
                null);

        Response job = given().header("Authorization", "Bearer " + RoutesApiKeysProfile.WORKER_KEY)
                .get("/v1/routes/keyed/jobs?wait=5");
        // Workers know the correlation by its ID in the key's scope, which their URLs carry.
        String stored = job.then().statusCode(200).extract().header("Rendezvous-Correlation-Id");
        assertThat(stored, matchesPattern("[A-Za-z0-9_-]{12}~" + id));
        String callback = job.header("Rendezvous-Callback-Url");
        assertThat(callback, startsWith(ApiKeysProfile.PUBLIC_URL + "/v1/correlations/" + stored + "/result?token="));
        given().contentType("text/plain")
                .body("for key one".getBytes(StandardCharsets.UTF_8))
                .post(callback.substring(ApiKeysProfile.PUBLIC_URL.length()))
                .then()
                .statusCode(204);

        Response read = given().header("Authorization", "Bearer " + ApiKeysProfile.KEY_ONE)
                .get(result);
        read.then().statusCode(200);
        assertThat(read.asString(), equalTo("for key one"));
    }

    @Test
    void countsRouteSubmissionsAgainstTheKeysQuota() {
        String key = ApiKeysProfile.KEY_THREE;
        int accepted = 0;
        Response last = null;
        for (int i = 0; i <= ApiKeysProfile.MAX_PER_KEY; i++) {
            last = submit(key, uniqueId("quota"));
            if (last.statusCode() == 202) {
                accepted++;
            }
        }
        assertThat(accepted, lessThanOrEqualTo(ApiKeysProfile.MAX_PER_KEY));
        assertProblem(last, 429, null);
    }
}
