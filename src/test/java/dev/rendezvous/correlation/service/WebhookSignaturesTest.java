package dev.rendezvous.correlation.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.model.RendezvousException;
import dev.rendezvous.correlation.service.WebhookSignatures.SignedMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Against the test vector that the Standard Webhooks specification and its libraries publish. */
class WebhookSignaturesTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String MESSAGE_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final Instant SENT = Instant.ofEpochSecond(TIMESTAMP);

    @Test
    void signsThePublishedTestVectorExactly() {
        assertEquals(SIGNATURE, WebhookSignatures.sign(WebhookSignatures.key(SECRET), MESSAGE_ID, TIMESTAMP, BODY));
    }

    @Test
    void acceptsThePublishedTestVectorAmongOtherSignatures() {
        byte[] key = WebhookSignatures.key(SECRET);

        assertDoesNotThrow(() -> WebhookSignatures.verify(message(SIGNATURE, BODY), key, SENT));
        assertDoesNotThrow(() -> WebhookSignatures.verify(message("v1,bm9wZQ== " + SIGNATURE, BODY), key, SENT));
        assertDoesNotThrow(() -> WebhookSignatures.verify(message(SIGNATURE, BODY), key, SENT.plusSeconds(300)));
        assertDoesNotThrow(() -> WebhookSignatures.verify(message(SIGNATURE, BODY), key, SENT.minusSeconds(300)));
    }

    @Test
    void refusesTamperedBodiesWrongKeysAndForeignSchemes() {
        byte[] key = WebhookSignatures.key(SECRET);
        byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);

        assertRefused(message(SIGNATURE, tampered), key, SENT);
        assertRefused(message(SIGNATURE, BODY), WebhookSignatures.newKey(), SENT);
        assertRefused(message("v2," + SIGNATURE.substring(3), BODY), key, SENT);
        assertRefused(message("v1,not base64!", BODY), key, SENT);
        assertRefused(message("", BODY), key, SENT);
    }

    @Test
    void refusesTimestampsMoreThanFiveMinutesAwayOrMalformed() {
        byte[] key = WebhookSignatures.key(SECRET);

        assertRefused(message(SIGNATURE, BODY), key, SENT.plusSeconds(301));
        assertRefused(message(SIGNATURE, BODY), key, SENT.minusSeconds(301));
        assertRefused(new SignedMessage(MESSAGE_ID, "16142653.30", SIGNATURE, BODY), key, SENT);
        assertRefused(new SignedMessage(MESSAGE_ID, "-1614265330", SIGNATURE, BODY), key, SENT);
    }

    @Test
    void handsOutSecretsThatStandardLibrariesRead() {
        byte[] key = WebhookSignatures.newKey();
        String secret = WebhookSignatures.secret(key);

        assertTrue(secret.startsWith("whsec_"));
        assertEquals(32, key.length);
        assertArrayEquals(key, WebhookSignatures.key(secret));
    }

    private static SignedMessage message(String signatures, byte[] body) {
        return new SignedMessage(MESSAGE_ID, Long.toString(TIMESTAMP), signatures, body);
    }

    private static void assertRefused(SignedMessage message, byte[] key, Instant now) {
        RendezvousException refused =
                assertThrows(RendezvousException.class, () -> WebhookSignatures.verify(message, key, now));
        assertEquals(Rejection.UNSIGNED, refused.rejection());
    }
}
