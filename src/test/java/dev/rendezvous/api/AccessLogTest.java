package dev.rendezvous.api;

import static dev.rendezvous.support.Api.create;
import static dev.rendezvous.support.Api.given;
import static dev.rendezvous.support.Api.uniqueId;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.rendezvous.support.AccessLogProfile;
import dev.rendezvous.support.Api;
import dev.rendezvous.support.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The access log, when an operator turns it on, shows every request but never a token. */
@QuarkusTest
@TestProfile(AccessLogProfile.class)
class AccessLogTest {

    @RegisterExtension
    final LogCapture log = new LogCapture();

    @Test
    void logsEachRequestWithoutItsToken() {
        String id = uniqueId("access");
        String token = create(id, 60).getString("callbackToken");

        given().body("done").post(Api.resultUrl(id) + "?token=" + token).then().statusCode(204);
        given().header("Authorization", "Bearer " + token)
                .body("done")
                .post(Api.resultUrl(id))
                .then()
                .statusCode(204);
        given().get(Api.resultUrl(id) + "?wait=0&token=" + token).then().statusCode(200);

        assertThat(log.lines(), hasItem(containsString("\"POST /v1/correlations/" + id + "/result HTTP/1.1\" 204")));
        for (String line : log.lines()) {
            assertThat(line, not(containsString(token)));
        }
    }
}
