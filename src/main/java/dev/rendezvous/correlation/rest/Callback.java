package dev.rendezvous.correlation.rest;

import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.service.WebhookSignatures.SignedMessage;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * How a worker proves it may act on a correlation: its token as a bearer header or query parameter,
 * and, where the correlation asks for it, a Standard Webhooks signature of the request.
 */
record Callback(
        @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
        @RestQuery("token") String query,
        @RestHeader("webhook-id") String webhookId,
        @RestHeader("webhook-timestamp") String webhookTimestamp,
        @RestHeader("webhook-signature") String webhookSignature) {

    /** The one token presented; two different ones are refused rather than guessed between. */
    String token() {
        return Inputs.token(authorization, query);
    }

    /** The signed message this request claims to be, or null when it carries no signature at all. */
    SignedMessage signed(byte[] body) {
        if (webhookId == null && webhookTimestamp == null && webhookSignature == null) {
            return null;
        }
        if (webhookId == null || webhookTimestamp == null || webhookSignature == null) {
            throw Rejection.UNSIGNED.because(
                    "A signed callback carries webhook-id, webhook-timestamp and webhook-signature.");
        }
        return new SignedMessage(webhookId, webhookTimestamp.strip(), webhookSignature, body);
    }
}
