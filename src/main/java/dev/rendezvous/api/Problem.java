package dev.rendezvous.api;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** An RFC 9457 problem detail; every error body of the API is one of these. */
// Registered for reflection: RequestGuards and RouteFailures serialise it outside Quarkus REST, which registers only
// its own.
@RegisterForReflection
record Problem(String type, String title, int status, String detail, String instance) {

    static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "urn:rendezvous:problem:";

    static Problem of(String slug, String title, int status, String detail, String instance) {
        return new Problem(TYPE_PREFIX + slug, title, status, detail, instance);
    }
}
