package dev.rendezvous.correlation.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An RFC 9457 problem detail; every error body of the API is one of these. {@code instance} is absent
 * only where no request target could be read (a request head that never arrived, or did not parse).
 */
// Registered for reflection: RequestGuards and RouteFailures serialise it outside Quarkus REST, which registers only
// its own.
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record Problem(String type, String title, int status, String detail, String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "urn:rendezvous:problem:";

    public static Problem of(String slug, String title, int status, String detail, String instance) {
        return new Problem(TYPE_PREFIX + slug, title, status, detail, instance);
    }
}
