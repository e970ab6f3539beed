package dev.rendezvous.api;

import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;

/** How a worker proves it may act on a correlation: its token as a bearer header or query parameter. */
record Callback(
        @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
        @RestQuery("token") String query) {

    /** The one token presented; two different ones are refused rather than guessed between. */
    String token() {
        return Inputs.token(authorization, query);
    }
}
