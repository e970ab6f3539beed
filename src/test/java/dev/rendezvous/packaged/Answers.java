package dev.rendezvous.packaged;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rendezvous.support.ReplicaClient;
import dev.rendezvous.support.ReplicaClient.Answer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Assertions and waits that the multi-replica tests share. */
final class Answers {

    static final String PROBLEM = "application/problem+json";

    private Answers() {}

    /** An ID no other test uses, so that tests can share the replicas and the Redis. */
    static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    /** A result body that is not valid UTF-8, so that any re-encoding on the way would show. */
    static byte[] binaryBody(String label) {
        byte[] text = label.getBytes(StandardCharsets.UTF_8);
        byte[] body = Arrays.copyOf(text, text.length + 256);
        for (int i = 0; i < 256; i++) {
            body[text.length + i] = (byte) i;
        }
        return body;
    }

    /** {@code 200} with exactly these bytes, this {@code Content-Type} and the headers of a result. */
    static void assertResult(Answer answer, byte[] body, String contentType) {
        assertEquals(200, answer.status(), () -> "expected the result, got " + answer);
        assertEquals(contentType, answer.contentType(), () -> "content type of " + answer);
        assertArrayEquals(body, answer.body(), () -> "body of " + answer);
        assertEquals("nosniff", answer.header("X-Content-Type-Options"), () -> "headers of " + answer);
        assertEquals("sandbox", answer.header("Content-Security-Policy"), () -> "headers of " + answer);
    }

    /** An RFC 9457 problem with this status. */
    static void assertProblem(Answer answer, int status) {
        assertEquals(status, answer.status(), () -> "expected a " + status + " problem, got " + answer);
        assertTrue(
                answer.contentType() != null && answer.contentType().startsWith(PROBLEM),
                () -> "content type of " + answer);
        assertEquals(status, answer.json().path("status").asInt(), () -> "problem status in " + answer);
        assertNotNull(answer.json().get("title"), () -> "problem title in " + answer);
    }

    /** A {@code 503} problem that tells the client when to try again. */
    static void assertUnavailable(Answer answer) {
        assertProblem(answer, 503);
        assertNotNull(answer.header("Retry-After"), () -> "Retry-After on " + answer);
    }

    static void assertNoContent(Answer answer) {
        assertEquals(204, answer.status(), () -> "expected 204, got " + answer);
        assertEquals(0, answer.body().length, () -> "body of " + answer);
    }

    /**
     * Returns once the replicas hold exactly these numbers of waiting requests, so that a delivery that
     * follows really wakes waiters rather than being read by late ones.
     */
    static void awaitWaiters(ReplicaClient replica, int count) {
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> replica.waiters() == count);
    }

    /** Every future's answer, in order; none may take longer than its own request timeout. */
    static List<Answer> joinAll(List<CompletableFuture<Answer>> answers) {
        return answers.stream().map(CompletableFuture::join).toList();
    }

    /** Readiness {@code 200} (UP) or {@code 503} (DOWN). */
    static void awaitReadiness(ReplicaClient replica, int status, Duration atMost) {
        await().atMost(atMost)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> replica.ready().join().status() == status);
    }
}
