package dev.rendezvous.correlation.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An immutable snapshot of one correlation. Stores replace snapshots rather than mutate them, so a
 * snapshot handed to a waiter stays consistent after the lock is released.
 */
public record Correlation(
        String id,
        State state,
        Instant createdAt,
        Instant expiresAt,
        Duration ttl,
        Instant completedAt,
        CallbackToken.Hash tokenHash,
        Outcome outcome,
        Heartbeat lastHeartbeat,
        String owner,
        byte[] signingKey,
        String settledBy) {

    public Correlation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(tokenHash, "tokenHash");
    }

    /** A new pending correlation, open to every client, that expires {@code ttl} after {@code now}. */
    public static Correlation pending(String id, CallbackToken.Hash tokenHash, Duration ttl, Instant now) {
        return pending(id, tokenHash, ttl, now, null);
    }

    /** A new pending correlation visible only to {@code owner} (null: to every client). */
    public static Correlation pending(
            String id, CallbackToken.Hash tokenHash, Duration ttl, Instant now, String owner) {
        return pending(id, tokenHash, ttl, now, owner, null);
    }

    /** As above, and when {@code signingKey} is set, callbacks must be signed with it. */
    public static Correlation pending(
            String id, CallbackToken.Hash tokenHash, Duration ttl, Instant now, String owner, byte[] signingKey) {
        return new Correlation(
                id, State.PENDING, now, now.plus(ttl), ttl, null, tokenHash, null, null, owner, signingKey, null);
    }

    /** Whether callbacks must carry a Standard Webhooks signature. */
    public boolean requiresSignature() {
        return signingKey != null;
    }

    /** Whether a client known as {@code caller} (null when API keys are off) may see this correlation. */
    public boolean isVisibleTo(String caller) {
        return Objects.equals(owner, caller);
    }

    public boolean isExpiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }

    /**
     * Settles this pending correlation; it stays readable for at least {@code retention}. {@code
     * messageId} is the webhook-id of a signed callback, so that its replay is recognised.
     */
    public Correlation settle(Outcome result, Instant now, Duration retention, String messageId) {
        State settled = result instanceof Outcome.Result ? State.COMPLETED : State.FAILED;
        Instant keepUntil = latest(expiresAt, now.plus(retention));
        return new Correlation(
                id,
                settled,
                createdAt,
                keepUntil,
                ttl,
                now,
                tokenHash,
                result,
                lastHeartbeat,
                owner,
                signingKey,
                messageId);
    }

    public Correlation cancel(Instant now) {
        return new Correlation(
                id,
                State.CANCELLED,
                createdAt,
                expiresAt,
                ttl,
                now,
                tokenHash,
                null,
                lastHeartbeat,
                owner,
                signingKey,
                settledBy);
    }

    /** Records a heartbeat and moves the expiry to {@code now + extension}. */
    public Correlation beat(Duration extension, String detailsJson, Instant now) {
        Heartbeat beat = new Heartbeat(now, detailsJson);
        return new Correlation(
                id,
                state,
                createdAt,
                now.plus(extension),
                ttl,
                completedAt,
                tokenHash,
                outcome,
                beat,
                owner,
                signingKey,
                settledBy);
    }

    /** What the worker sent that the store keeps, counted against {@code max-stored-bytes}. */
    public long storedBytes() {
        long details = lastHeartbeat == null || lastHeartbeat.detailsJson() == null
                ? 0
                : lastHeartbeat.detailsJson().length();
        return details + (outcome == null ? 0 : outcome.size());
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
