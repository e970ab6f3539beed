package dev.rendezvous.api;

import static dev.rendezvous.support.Api.BASE;
import static dev.rendezvous.support.Api.assertCompletedWith;
import static dev.rendezvous.support.Api.assertStillPending;
import static dev.rendezvous.support.Api.create;
import static dev.rendezvous.support.Api.deliver;
import static dev.rendezvous.support.Api.resultUrl;
import static dev.rendezvous.support.Api.uniqueId;
import static dev.rendezvous.support.Api.url;
import static dev.rendezvous.support.RawHttp.exchange;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import dev.rendezvous.correlation.service.CorrelationService;
import dev.rendezvous.support.Api;
import dev.rendezvous.support.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Bodies are at most max-body (1 MiB) and must declare their length. */
@QuarkusTest
class BodySizeTest {

    private static final int MAX_BODY = 1024 * 1024;

    @Inject
    CorrelationService service;

    @Test
    void storesAResultOfExactlyMaxBody() {
        String id = uniqueId("max-body");
        byte[] body = new byte[MAX_BODY];
        Arrays.fill(body, (byte) 'r');

        deliver(id, create(id).getString("callbackToken"), "application/octet-stream", body)
                .then()
                .statusCode(204);

        assertCompletedWith(id, "application/octet-stream", body);
    }

    @Test
    void refusesCallbacksDeclaredLargerThanMaxBodyBeforeReadingThem() throws IOException {
        String id = uniqueId("too-large");
        String token = create(id).getString("callbackToken");

        for (String callback : new String[] {"result", "failure", "heartbeat"}) {
            String path = url(id) + "/" + callback;

            // Only the head and a few bytes are sent: the answer must not wait for the rest.
            RawHttp.Answer answer = exchange("POST " + path + " HTTP/1.1\r\n"
                    + "Host: localhost\r\n"
                    + "Authorization: Bearer " + token + "\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Content-Length: " + (MAX_BODY + 1) + "\r\n"
                    + "\r\n"
                    + "{\"title\":");

            answer.assertProblem(413, path);
        }

        assertStillPending(id);
        Api.status(id).then().statusCode(200).body("$", not(hasKey("lastHeartbeat")));
    }

    @Test
    void refusesACreateDeclaredLargerThanMaxBody() throws IOException {
        String id = uniqueId("too-large-create");
        long before = service.usage().count("correlations");

        RawHttp.Answer answer = exchange("POST " + BASE + " HTTP/1.1\r\n"
                + "Host: localhost\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + (2 * MAX_BODY) + "\r\n"
                + "\r\n"
                + "{\"id\":\"" + id + "\"}");

        answer.assertProblem(413, BASE);
        Api.status(id).then().statusCode(404);
        // Unknown (-1) in Redis mode, where this holds trivially and the 404 above is the check.
        assertThat(service.usage().count("correlations"), lessThanOrEqualTo(before));
    }

    @Test
    void refusesAChunkedResultWith411() throws IOException {
        String id = uniqueId("chunked");
        String token = create(id).getString("callbackToken");
        String path = resultUrl(id);

        RawHttp.Answer answer = exchange("POST " + path + " HTTP/1.1\r\n"
                + "Host: localhost\r\n"
                + "Authorization: Bearer " + token + "\r\n"
                + "Content-Type: text/plain\r\n"
                + "Transfer-Encoding: chunked\r\n"
                + "Connection: close\r\n"
                + "\r\n"
                + "5\r\nhello\r\n0\r\n\r\n");

        answer.assertProblem(411, path);
        assertStillPending(id);
    }
}
