package dev.rendezvous.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON documents the API accepts; unknown fields and loose types are rejected by the mapper. */
final class Requests {

    private Requests() {}

    /** Body of {@code POST /v1/correlations}; every field optional. */
    record Create(String id, Long ttl, Boolean signing) {}

    /** Body of {@code POST .../failure}. */
    record Failure(String title, String detail, Integer status) {}

    /** Body of {@code POST .../heartbeat}; both fields optional. */
    record Heartbeat(Long ttl, ObjectNode details) {}
}
