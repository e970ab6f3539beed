package dev.rendezvous.route.service;

import dev.rendezvous.config.RendezvousConfig.Route;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The delay before a push is tried again: exponential backoff with full jitter (a random delay between
 * zero and {@code retry-delay} doubled per attempt, at most {@code max-retry-delay}), so that workers
 * coming back from an outage are not hit by every job at once; never shorter than the worker's
 * {@code Retry-After}.
 */
final class Backoff {

    private static final int MAX_DOUBLINGS = 30;

    private Backoff() {}

    /** The delay after {@code attempts} failed attempts (1 or more). */
    static Duration delay(Route route, int attempts, Duration retryAfter) {
        long ceiling =
                ceiling(route.retryDelay(), route.maxRetryDelay(), attempts).toMillis();
        Duration jittered = Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
        return retryAfter != null && retryAfter.compareTo(jittered) > 0 ? retryAfter : jittered;
    }

    /** {@code first} doubled {@code attempts - 1} times, at most {@code max}. */
    static Duration ceiling(Duration first, Duration max, int attempts) {
        long doublings = Math.min(Math.max(attempts - 1, 0), MAX_DOUBLINGS);
        Duration doubled = first.multipliedBy(1L << doublings);
        return doubled.compareTo(max) > 0 ? max : doubled;
    }

    /** A {@code Retry-After} header in seconds or as an HTTP date; null when absent or malformed. */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        if (value.length() <= 9 && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        try {
            Duration until = Duration.between(
                    ZonedDateTime.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
            return until.isNegative() ? Duration.ZERO : until;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
