package dev.rendezvous.core;

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
        String owner) {

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
        return new Correlation(id, State.PENDING, now, now.plus(ttl), ttl, null, tokenHash, null, null, owner);
    }

    /** Whether a client known as {@code caller} (null when API keys are off) may see this correlation. */
    public boolean isVisibleTo(String caller) {
        return Objects.equals(owner, caller);
    }

    public boolean isExpiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }

    /** Settles this pending correlation; it stays readable for at least {@code retention}. */
    public Correlation settle(Outcome result, Instant now, Duration retention) {
        State settled = result instanceof Outcome.Result ? State.COMPLETED : State.FAILED;
        Instant keepUntil = latest(expiresAt, now.plus(retention));
        return new Correlation(id, settled, createdAt, keepUntil, ttl, now, tokenHash, result, lastHeartbeat, owner);
    }

    public Correlation cancel(Instant now) {
        return new Correlation(
                id, State.CANCELLED, createdAt, expiresAt, ttl, now, tokenHash, null, lastHeartbeat, owner);
    }

    /** Records a heartbeat and moves the expiry to {@code now + extension}. */
    public Correlation beat(Duration extension, String detailsJson, Instant now) {
        Heartbeat beat = new Heartbeat(now, detailsJson);
        return new Correlation(
                id, state, createdAt, now.plus(extension), ttl, completedAt, tokenHash, outcome, beat, owner);
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
