package dev.rendezvous.correlation.service;

import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.model.RendezvousException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code v1,} and the base64 HMAC-SHA256 of {@code id.timestamp.body},
 * keyed with the secret that follows {@code whsec_}. Workers sign with any Standard Webhooks
 * library; the service checks every signature a request carries against the one it expects, in
 * constant time, and refuses timestamps more than five minutes away from its clock.
 */
public final class WebhookSignatures {

    public static final String SECRET_PREFIX = "whsec_";
    static final Duration TOLERANCE = Duration.ofMinutes(5);

    private static final String VERSION = "v1,";
    private static final int SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignatures() {}

    /** A fresh signing key. */
    public static byte[] newKey() {
        byte[] key = new byte[SECRET_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    /** The key as workers are given it: {@code whsec_} and its base64. */
    public static String secret(byte[] key) {
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The key a {@code whsec_} secret stands for. */
    public static byte[] key(String secret) {
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        return Base64.getDecoder().decode(encoded);
    }

    /** The signature of one message, as a {@code webhook-signature} entry. */
    public static String sign(byte[] key, String messageId, long timestamp, byte[] body) {
        return VERSION + Base64.getEncoder().encodeToString(mac(key, messageId, timestamp, body));
    }

    /**
     * Checks a signed message; returns normally when one of the signatures in {@code header} is
     * right and the timestamp lies within five minutes of {@code now}.
     */
    public static void verify(SignedMessage message, byte[] key, Instant now) {
        long timestamp = timestamp(message.timestamp());
        if (Duration.between(Instant.ofEpochSecond(timestamp), now).abs().compareTo(TOLERANCE) > 0) {
            throw refused("webhook-timestamp is more than five minutes away from the service's clock.");
        }
        byte[] expected = mac(key, message.id(), timestamp, message.body());
        boolean matched = false;
        for (String candidate : message.signatures().trim().split(" +")) {
            if (candidate.startsWith(VERSION)) {
                matched |= MessageDigest.isEqual(expected, decode(candidate.substring(VERSION.length())));
            }
        }
        if (!matched) {
            throw refused("No webhook-signature matches this request.");
        }
    }

    private static long timestamp(String value) {
        if (value.isEmpty() || value.length() > 12 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw refused("webhook-timestamp must be whole seconds since the epoch.");
        }
        return Long.parseLong(value);
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static byte[] mac(byte[] key, String messageId, long timestamp, byte[] body) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            hmac.update((messageId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return hmac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }

    private static RendezvousException refused(String detail) {
        return Rejection.UNSIGNED.because(detail);
    }

    /** A callback's {@code webhook-*} headers with the body they sign. */
    public record SignedMessage(String id, String timestamp, String signatures, byte[] body) {}
}
