package dev.rendezvous.api;

/** An RFC 9457 problem detail; every error body of the API is one of these. */
record Problem(String type, String title, int status, String detail, String instance) {

    static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "urn:rendezvous:problem:";

    static Problem of(String slug, String title, int status, String detail, String instance) {
        return new Problem(TYPE_PREFIX + slug, title, status, detail, instance);
    }
}
