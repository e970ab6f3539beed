package dev.rendezvous.route.rest;

import dev.rendezvous.route.model.Job;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code Rendezvous-*} headers a job travels with, pushed or pulled: what its worker needs to answer. */
public final class JobHeaders {

    public static final String CORRELATION_ID = "Rendezvous-Correlation-Id";

    private JobHeaders() {}

    public static Map<String, String> of(Job job) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CORRELATION_ID, job.id());
        headers.put("Rendezvous-Callback-Url", job.callbackUrl());
        headers.put("Rendezvous-Failure-Url", job.failureUrl());
        headers.put("Rendezvous-Heartbeat-Url", job.heartbeatUrl());
        headers.put("Rendezvous-Deadline", DateTimeFormatter.ISO_INSTANT.format(job.deadline()));
        headers.put("Rendezvous-Attempt", Integer.toString(job.attempt()));
        if (job.lease() != null && job.leaseUntil() != null) {
            headers.put("Rendezvous-Lease-Until", DateTimeFormatter.ISO_INSTANT.format(job.leaseUntil()));
        }
        return headers;
    }
}
