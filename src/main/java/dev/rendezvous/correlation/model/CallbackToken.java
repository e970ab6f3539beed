package dev.rendezvous.correlation.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Callback tokens: 256 random bits, URL-safe. Only their SHA-256 hash is kept, and hashes are
 * compared in constant time, so neither a heap dump nor response timing reveals a token.
 */
public final class CallbackToken {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();
    /** One per thread: getInstance looks the algorithm up among the providers, allocating, on every call. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(CallbackToken::sha256);

    private CallbackToken() {}

    /** A fresh token, 256 random bits. */
    public static String generate() {
        return randomUrlSafe(32);
    }

    /** {@code bytes} random bytes, base64url without padding. */
    static String randomUrlSafe(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return URL_SAFE.encodeToString(random);
    }

    public static Hash hash(String token) {
        byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
        MessageDigest sha256 = SHA_256.get();
        try {
            return new Hash(sha256.digest(bytes));
        } finally {
            // digest() leaves the token's last block in the digest's buffer until its next use.
            sha256.reset();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** A token's SHA-256 hash. */
    public record Hash(byte[] value) {

        public boolean matches(Hash other) {
            return other != null && MessageDigest.isEqual(value, other.value);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Hash that && matches(that);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Hash[redacted]";
        }
    }
}
