package dev.rendezvous.api;

import static dev.rendezvous.support.Api.create;
import static dev.rendezvous.support.Api.deliver;
import static dev.rendezvous.support.Api.fail;
import static dev.rendezvous.support.Api.given;
import static dev.rendezvous.support.Api.heartbeat;
import static dev.rendezvous.support.Api.uniqueId;
import static dev.rendezvous.support.RawHttp.exchange;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rendezvous.support.Api;
import dev.rendezvous.support.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tokens travel in {@code ?token=} query strings and bearer headers; none may reach the log, not even
 * through the framework's handling of malformed requests. The service logs at DEBUG in tests, so
 * every line it could write is captured here.
 */
@QuarkusTest
class TokenLoggingTest {

    @RegisterExtension
    final LogCapture log = new LogCapture();

    @Test
    void writesNoCallbackTokenToTheLogDuringAWholeExchangeWithMistakes() throws IOException {
        String id = uniqueId("logged");
        String token = create(id, 60).getString("callbackToken");
        String other = create(uniqueId("logged-other"), 60).getString("callbackToken");

        heartbeat(id, token, "{\"ttl\":60,\"details\":{\"progress\":40}}")
                .then()
                .statusCode(200);
        deliver(id, other, "wrong token").then().statusCode(401);
        given().queryParam("token", token)
                .header("Authorization", "Bearer " + other)
                .body("ambiguous")
                .post(Api.resultUrl(id))
                .then()
                .statusCode(400);
        given().contentType("application/json")
                .queryParam("token", token)
                .body("{not json")
                .post(Api.failureUrl(id))
                .then()
                .statusCode(400);
        assertEquals(411, chunked(id, token));
        assertEquals(
                400,
                exchange("GET " + Api.resultUrl(id) + "?token=" + token + " HTTP/1.1\r\nHost: x/y\r\n\r\n")
                        .status());
        fail(id, other, "{\"title\":\"nope\"}").then().statusCode(401);
        deliver(id, token, "the result").then().statusCode(204);
        deliver(id, token, "the result").then().statusCode(204);
        deliver(id, token, "another result").then().statusCode(409);

        assertThat(log.lines(), not(hasSize(0)));
        log.lines().forEach(line -> {
            assertThat(line, not(containsString(token)));
            assertThat(line, not(containsString(other)));
        });
        assertThat(Api.state(id), equalTo("completed"));
    }

    private static int chunked(String id, String token) throws IOException {
        return exchange("POST " + Api.resultUrl(id) + "?token=" + token + " HTTP/1.1\r\nHost: localhost\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
                .status();
    }
}
