package dev.rendezvous.correlation.model;

import java.time.Instant;

/** The latest sign of life from a worker, with its optional progress details as a JSON object text. */
public record Heartbeat(Instant at, String detailsJson) {}
