package dev.rendezvous.correlation.rest;

import dev.rendezvous.correlation.model.CorrelationIds;
import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.model.RendezvousException;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;

/** Checks of request parameters; each turns bad input into a 400 problem that says what to fix. */
public final class Inputs {

    private static final String BEARER = "bearer ";

    private Inputs() {}

    static String id(String id) {
        if (!CorrelationIds.isValid(id)) {
            throw invalid("An ID is 1 to 128 characters of A-Z a-z 0-9 . _ ~ : - and not '.' or '..'.");
        }
        return id;
    }

    /** A TTL in whole seconds within {@code 1..max}; null stays null (the default applies). */
    static Duration ttl(Long seconds, Duration max) {
        if (seconds == null) {
            return null;
        }
        if (seconds < 1 || seconds > max.toSeconds()) {
            throw invalid("ttl must be between 1 and " + max.toSeconds() + " seconds.");
        }
        return Duration.ofSeconds(seconds);
    }

    /** A {@code ttl} query parameter: whole seconds within {@code 1..max}; absent, null. */
    public static Duration ttlParameter(String value, Duration max) {
        return value == null ? null : ttl(wholeNumber(value, "ttl"), max);
    }

    /** The {@code wait} query parameter: whole seconds within {@code 0..max}. */
    public static Duration waitSeconds(String value, Duration max) {
        long seconds = wholeNumber(value, "wait");
        if (seconds > max.toSeconds()) {
            throw invalid("wait must be between 0 and " + max.toSeconds() + " seconds.");
        }
        return Duration.ofSeconds(seconds);
    }

    static boolean flag(String value, String name) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw invalid(name + " must be true or false.");
    }

    /**
     * The callback token from {@code Authorization: Bearer} or {@code ?token=}. Two different tokens
     * are refused rather than guessed between.
     */
    static String token(String authorization, String query) {
        String bearer = bearer(authorization);
        if (bearer != null && query != null && !bearer.equals(query)) {
            throw invalid("The Authorization header and the token parameter carry different tokens.");
        }
        String token = bearer != null ? bearer : query;
        if (token == null || token.isEmpty()) {
            throw Rejection.UNAUTHORIZED.because(
                    "Send the callback token as 'Authorization: Bearer <token>' or '?token='.");
        }
        return token;
    }

    /** The credential of an {@code Authorization: Bearer} header; null for any other or none. */
    public static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return authorization.substring(BEARER.length()).strip();
    }

    /** A result's media type, checked so that it can be answered back verbatim. */
    public static String contentType(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            MediaType.valueOf(value);
            return value;
        } catch (IllegalArgumentException e) {
            throw invalid("Content-Type is not a valid media type.");
        }
    }

    /** Only 0-9: {@link Character#isDigit} would take the digits of every script. */
    static boolean isAsciiDigits(String value) {
        return value.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    static RendezvousException invalid(String detail) {
        return Rejection.INVALID.because(detail);
    }

    private static long wholeNumber(String value, String name) {
        if (value == null || value.isEmpty() || value.length() > 9 || !isAsciiDigits(value)) {
            throw invalid(name + " must be a whole number of seconds.");
        }
        return Long.parseLong(value);
    }
}
