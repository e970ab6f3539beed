package dev.rendezvous.correlation.rest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.rendezvous.correlation.model.Correlation;
import dev.rendezvous.correlation.model.Heartbeat;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * The JSON documents the API answers with. Registered for reflection because a pending result's
 * status travels inside a plain Response, whose entity type Quarkus REST cannot see at build time.
 */
public final class Views {

    private Views() {}

    /** The status of a correlation; never carries its token. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    public record Status(
            String id,
            String state,
            Instant createdAt,
            Instant expiresAt,
            Instant completedAt,
            HeartbeatView lastHeartbeat,
            Links links) {

        static Status of(Correlation correlation, Links links) {
            Heartbeat beat = correlation.lastHeartbeat();
            return new Status(
                    Caller.visibleId(correlation),
                    correlation.state().wireName(),
                    correlation.createdAt(),
                    correlation.expiresAt(),
                    correlation.completedAt(),
                    beat == null ? null : new HeartbeatView(beat.at(), beat.detailsJson()),
                    links);
        }
    }

    /** The answer to create: the status plus the callback token and signing secret, shown only here. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    public record Created(
            String id,
            String state,
            Instant createdAt,
            Instant expiresAt,
            String callbackToken,
            String callbackUrl,
            String signingSecret,
            Links links) {

        static Created of(Correlation correlation, String token, String signingSecret, Links links) {
            return new Created(
                    Caller.visibleId(correlation),
                    correlation.state().wireName(),
                    correlation.createdAt(),
                    correlation.expiresAt(),
                    token,
                    links.callback() + "?token=" + token,
                    signingSecret,
                    links);
        }
    }

    /** A worker's latest heartbeat as watchers see it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    public record HeartbeatView(Instant at, @JsonRawValue String details) {}

    /**
     * Where a correlation's resources live, as absolute URLs: the client's under the ID the client
     * chose, the worker's (and {@code callback}, the worker's result URL) under the stored ID, which
     * differ only with API keys on ({@link Caller}).
     */
    @RegisterForReflection
    public record Links(
            String self,
            String result,
            String events,
            String failure,
            String heartbeat,
            @JsonIgnore String callback) {

        static Links of(String base, String clientId, String storedId) {
            String self = base + "v1/correlations/" + clientId;
            String worker = base + "v1/correlations/" + storedId;
            return new Links(
                    self,
                    self + "/result",
                    self + "/events",
                    worker + "/failure",
                    worker + "/heartbeat",
                    worker + "/result");
        }
    }
}
