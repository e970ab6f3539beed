package dev.rendezvous.api;

import static dev.rendezvous.support.Api.BASE;
import static dev.rendezvous.support.Api.assertProblem;
import static dev.rendezvous.support.Api.given;
import static dev.rendezvous.support.Api.inBackground;
import static dev.rendezvous.support.Api.uniqueId;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.rendezvous.correlation.service.WebhookSignatures;
import dev.rendezvous.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Correlations created with {@code "signing": true} take only callbacks signed the Standard Webhooks way. */
@QuarkusTest
class SignedCallbacksTest {

    @Test
    void handsOutASigningSecretOnlyWhenAskedFor() {
        JsonPath signed = create(uniqueId("signed"));
        JsonPath plain = given().contentType("application/json")
                .body(Map.of("id", uniqueId("plain")))
                .post(BASE)
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();

        assertThat(signed.getString("signingSecret"), startsWith("whsec_"));
        assertThat(plain.getString("signingSecret"), nullValue());
        assertThat(Api.status(signed.getString("id")).asString().contains("whsec_"), equalTo(false));
    }

    @Test
    void refusesUnsignedWronglySignedAndStaleCallbacksWithoutStoringAnything() {
        JsonPath created = create(uniqueId("refused"));
        String id = created.getString("id");
        String token = created.getString("callbackToken");
        byte[] key = WebhookSignatures.key(created.getString("signingSecret"));
        long now = Instant.now().getEpochSecond();

        assertProblem(post(id, token, "result", "unsigned", null), 401, Api.resultUrl(id));
        assertProblem(
                post(id, token, "result", "forged", signature(WebhookSignatures.newKey(), "m1", now, "forged")),
                401,
                Api.resultUrl(id));
        assertProblem(
                post(id, token, "result", "tampered", signature(key, "m1", now, "original")), 401, Api.resultUrl(id));
        assertProblem(
                post(id, token, "result", "stale", signature(key, "m1", now - 600, "stale")), 401, Api.resultUrl(id));
        assertProblem(
                given().header("Authorization", "Bearer " + token)
                        .header("webhook-id", "m1")
                        .body("half")
                        .post(Api.resultUrl(id)),
                401,
                Api.resultUrl(id));

        Api.assertStillPending(id);
    }

    @Test
    void deliversASignedResultAndAcknowledgesItsReplay() {
        JsonPath created = create(uniqueId("delivered"));
        String id = created.getString("id");
        String token = created.getString("callbackToken");
        byte[] key = WebhookSignatures.key(created.getString("signingSecret"));
        long now = Instant.now().getEpochSecond();
        CompletableFuture<Response> waiter = inBackground(() -> Api.result(id, "wait=30"));

        post(id, token, "result", "signed result", signature(key, "msg-1", now, "signed result"))
                .then()
                .statusCode(204);
        post(id, token, "result", "signed result", signature(key, "msg-1", now, "signed result"))
                .then()
                .statusCode(204);
        // The same webhook-id is the same message, whatever a confused sender puts in it.
        post(id, token, "result", "other bytes", signature(key, "msg-1", now, "other bytes"))
                .then()
                .statusCode(204);
        assertProblem(
                post(id, token, "result", "other bytes", signature(key, "msg-2", now, "other bytes")),
                409,
                Api.resultUrl(id));

        waiter.join().then().statusCode(200).body(equalTo("signed result"));
        Api.result(id).then().statusCode(200).body(equalTo("signed result"));
    }

    @Test
    void takesSignedHeartbeatsAndFailures() {
        JsonPath created = create(uniqueId("beaten"));
        String id = created.getString("id");
        String token = created.getString("callbackToken");
        byte[] key = WebhookSignatures.key(created.getString("signingSecret"));
        long now = Instant.now().getEpochSecond();
        String beat = "{\"ttl\":120,\"details\":{\"progress\":40}}";
        String failure = "{\"title\":\"Unreadable\",\"status\":422}";

        assertProblem(postJson(id, token, "heartbeat", beat, null), 401, Api.heartbeatUrl(id));
        postJson(id, token, "heartbeat", beat, signature(key, "beat-1", now, beat))
                .then()
                .statusCode(200)
                .body("lastHeartbeat.details.progress", equalTo(40));
        assertProblem(postJson(id, token, "failure", failure, null), 401, Api.failureUrl(id));
        postJson(id, token, "failure", failure, signature(key, "fail-1", now, failure))
                .then()
                .statusCode(204);

        Api.assertFailedWith(id, 422, "Unreadable");
    }

    private static JsonPath create(String id) {
        return given().contentType("application/json")
                .body(Map.of("id", id, "ttl", 120, "signing", true))
                .post(BASE)
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    /** The three webhook headers of a message signed with {@code key}. */
    private static Map<String, String> signature(byte[] key, String messageId, long timestamp, String body) {
        return Map.of(
                "webhook-id",
                messageId,
                "webhook-timestamp",
                Long.toString(timestamp),
                "webhook-signature",
                WebhookSignatures.sign(key, messageId, timestamp, body.getBytes(StandardCharsets.UTF_8)));
    }

    private static Response post(String id, String token, String kind, String body, Map<String, String> headers) {
        return send(id, token, kind, "text/plain", body, headers);
    }

    private static Response postJson(String id, String token, String kind, String body, Map<String, String> headers) {
        return send(id, token, kind, "application/json", body, headers);
    }

    private static Response send(
            String id, String token, String kind, String contentType, String body, Map<String, String> headers) {
        return given().header("Authorization", "Bearer " + token)
                .headers(headers == null ? Map.of() : headers)
                .contentType(contentType)
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post(BASE + "/" + id + "/" + kind);
    }
}
