package dev.rendezvous.correlation.model;

/**
 * One event of a correlation's live stream: its current state, a heartbeat, a terminal outcome, or
 * its expiry ({@code correlation} null), or a keep-alive that carries nothing.
 */
public record Change(Kind kind, Correlation correlation) {

    /** What happened; the lower-case name is the SSE event name. */
    public enum Kind {
        PENDING,
        HEARTBEAT,
        COMPLETED,
        FAILED,
        CANCELLED,
        EXPIRED,
        KEEP_ALIVE;

        public String eventName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static final Change KEEP_ALIVE = new Change(Kind.KEEP_ALIVE, null);

    public static Change expired() {
        return new Change(Kind.EXPIRED, null);
    }

    /** The event a snapshot stands for: its state, or a heartbeat of a pending correlation. */
    public static Change of(Correlation correlation, boolean heartbeat) {
        Kind kind = switch (correlation.state()) {
            case PENDING -> heartbeat ? Kind.HEARTBEAT : Kind.PENDING;
            case COMPLETED -> Kind.COMPLETED;
            case FAILED -> Kind.FAILED;
            case CANCELLED -> Kind.CANCELLED;
        };
        return new Change(kind, correlation);
    }

    public boolean isFinal() {
        return kind != Kind.PENDING && kind != Kind.HEARTBEAT && kind != Kind.KEEP_ALIVE;
    }
}
