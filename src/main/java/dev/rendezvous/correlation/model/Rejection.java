package dev.rendezvous.correlation.model;

/** Every way a request can be turned down, with the HTTP status and problem type it maps to. */
public enum Rejection {
    INVALID(400, "invalid-request", "Invalid request"),
    UNAUTHORIZED(
            401,
            "unauthorized",
            "Missing or wrong callback token",
            "The callback token does not match this correlation."),
    UNAUTHENTICATED(401, "api-key-required", "Missing or wrong API key"),
    UNSIGNED(
            401,
            "signature-required",
            "Missing or wrong webhook signature",
            "Callbacks of this correlation must carry a webhook signature."),
    WORKER_KEY_REQUIRED(401, "worker-key-required", "Missing or wrong worker key"),
    NOT_FOUND(404, "not-found", "Correlation not found", "No correlation with this ID exists; it may have expired."),
    ROUTE_NOT_FOUND(404, "route-not-found", "Route not found"),
    ID_TAKEN(409, "id-taken", "Correlation ID already exists", "A correlation with this ID already exists."),
    ALREADY_SETTLED(409, "already-settled", "Correlation already has another outcome"),
    NOT_PENDING(409, "not-pending", "Correlation is no longer pending"),
    CANCELLED(410, "cancelled", "Correlation was cancelled", "The client cancelled this correlation."),
    LENGTH_REQUIRED(411, "length-required", "Content-Length required"),
    TOO_LARGE(413, "body-too-large", "Body too large"),
    TOO_MANY_FOR_KEY(429, "too-many-for-key", "This API key holds its maximum number of correlations"),
    TOO_MANY_CORRELATIONS(503, "too-many-correlations", "Instance holds its maximum number of correlations"),
    STORE_FULL(503, "store-full", "Instance holds its maximum of stored bytes"),
    TOO_MANY_WAITERS(
            503, "too-many-waiters", "Instance holds its maximum number of waiting requests", Details.TRY_AGAIN),
    TOO_MANY_WAITERS_ON_CORRELATION(
            503,
            "too-many-waiters-on-correlation",
            "Instance holds its maximum number of requests waiting on this correlation",
            Details.TRY_AGAIN),
    QUEUE_FULL(503, "queue-full", "The route holds its maximum number of jobs"),
    STORE_UNAVAILABLE(503, "store-unavailable", "The correlation store is unreachable", Details.TRY_AGAIN);

    private static final int RETRY_AFTER_SECONDS = 1;

    /** Written once here, since enum constants cannot name a static field of their own enum. */
    private static final class Details {
        /** The detail of every refusal that a retry after {@code Retry-After} may overcome. */
        static final String TRY_AGAIN = "Try again shortly.";
    }

    private final int status;
    private final String slug;
    private final String title;
    private final String usualDetail;

    Rejection(int status, String slug, String title) {
        this(status, slug, title, null);
    }

    Rejection(int status, String slug, String title, String usualDetail) {
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.usualDetail = usualDetail;
    }

    public int status() {
        return status;
    }

    /** The last segment of the problem type URI. */
    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    /** Seconds a client should wait before trying again, for the {@code Retry-After} of 503 answers. */
    public int retryAfterSeconds() {
        return status == 503 || status == 429 ? RETRY_AFTER_SECONDS : 0;
    }

    /** This rejection with the detail it usually carries. */
    public RendezvousException exception() {
        return because(usualDetail);
    }

    public RendezvousException because(String detail) {
        return new RendezvousException(this, detail);
    }
}
