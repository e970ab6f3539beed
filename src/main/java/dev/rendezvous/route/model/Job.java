package dev.rendezvous.route.model;

import dev.rendezvous.correlation.model.Correlation;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A job submitted through a route: the body to hand to a worker, and what the worker needs to answer
 * (the correlation's token travels with the job, since every dispatch hands it on). {@code attempt}
 * counts the dispatches (push) or leases (pull) so far; {@code leaseUntil} is set while a worker or a
 * dispatching replica holds the job.
 */
public record Job(
        String id,
        String route,
        Instant incarnation,
        byte[] body,
        String contentType,
        String token,
        String baseUrl,
        Instant deadline,
        Duration lease,
        int attempt,
        Instant leaseUntil) {

    public Job {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(token, "token");
    }

    /** A new job, not yet offered to anyone. */
    public static Job of(
            Correlation created, String route, byte[] body, String contentType, String token, String baseUrl) {
        return new Job(
                created.id(),
                route,
                created.createdAt(),
                body,
                contentType,
                token,
                baseUrl,
                created.expiresAt(),
                null,
                0,
                null);
    }

    /** This job held until {@code until} for its next attempt. */
    public Job leased(Instant until) {
        return new Job(id, route, incarnation, body, contentType, token, baseUrl, deadline, lease, attempt + 1, until);
    }

    /** This job back in its queue; a refunded attempt was never really made. */
    public Job queued(boolean refund) {
        return new Job(
                id,
                route,
                incarnation,
                body,
                contentType,
                token,
                baseUrl,
                deadline,
                lease,
                attempt - (refund ? 1 : 0),
                null);
    }

    /** This job with its lease and deadline moved, after a heartbeat. */
    public Job extended(Instant until, Instant newDeadline) {
        return new Job(id, route, incarnation, body, contentType, token, baseUrl, newDeadline, lease, attempt, until);
    }

    /** This job with the lease a pull worker gets. */
    public Job withLease(Duration pullLease) {
        return new Job(
                id, route, incarnation, body, contentType, token, baseUrl, deadline, pullLease, attempt, leaseUntil);
    }

    public boolean isLeased() {
        return leaseUntil != null;
    }

    /** The Standard Webhooks message ID of this attempt: unique per attempt, and {@code /} never occurs in an ID. */
    public String messageId() {
        return id + "/" + attempt;
    }

    public String callbackUrl() {
        return callback("result");
    }

    public String failureUrl() {
        return callback("failure");
    }

    public String heartbeatUrl() {
        return callback("heartbeat");
    }

    public String resultUrl() {
        return baseUrl + "v1/correlations/" + id + "/result";
    }

    private String callback(String kind) {
        return baseUrl + "v1/correlations/" + id + "/" + kind + "?token=" + token;
    }

    @Override
    public String toString() {
        return "Job[" + id + " on " + route + ", attempt " + attempt + "]"; // never the token
    }
}
