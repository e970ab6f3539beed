package dev.rendezvous.correlation.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The JSON documents the API accepts; unknown fields and loose types are rejected by the mapper. */
final class Requests {

    private Requests() {}

    /** Body of {@code POST /v1/correlations}; every field optional. */
    record Create(String id, Long ttl, Boolean signing) {}

    /** Body of {@code POST .../failure}; read by hand, since its signature covers the raw bytes. */
    @RegisterForReflection
    record Failure(String title, String detail, Integer status) {}

    /** Body of {@code POST .../heartbeat}; both fields optional; read by hand like a failure. */
    @RegisterForReflection
    record Heartbeat(Long ttl, ObjectNode details) {}
}
