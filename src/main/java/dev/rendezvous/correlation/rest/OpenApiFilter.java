package dev.rendezvous.correlation.rest;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

/**
 * Describes the parameters that every endpoint shares, once, rather than on each resource method:
 * the path ID, and the token and signature headers of {@link Callback}. The {@code Authorization}
 * and {@code Content-Type} headers the resources read are left out, as OpenAPI asks: the security
 * schemes of the package's {@code @OpenAPIDefinition} and the request bodies' media types describe them. Runs at build time ({@code mp.openapi.filter}); documentation only.
 */
public class OpenApiFilter implements OASFilter {

    /** Headers that OpenAPI describes elsewhere: by security schemes and by request bodies' media types. */
    private static final Set<String> IGNORED_HEADERS = Set.of("Authorization", "Content-Type");

    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "id",
            "The correlation ID.",
            "token",
            "The callback token, for senders that can only be given a URL (as in `callbackUrl`); otherwise send"
                    + " `Authorization: Bearer <token>`. Both present and different: 400.",
            "webhook-id",
            "Standard Webhooks message ID; required with the other two on a signing correlation. A replayed"
                    + " `webhook-id` is acknowledged like an identical repeat.",
            "webhook-timestamp",
            "Standard Webhooks timestamp (Unix seconds), within 5 minutes of the service's clock.",
            "webhook-signature",
            "Standard Webhooks signature(s): space-separated `v1,<base64 HMAC-SHA256 of id.timestamp.body>`"
                    + " with the correlation's `signingSecret`.");

    /**
     * A GET takes no body: what the scanner would take for one there is a context object (the
     * {@code Sse} of the event stream).
     */
    @Override
    public PathItem filterPathItem(PathItem item) {
        if (item.getGET() != null) {
            item.getGET().setRequestBody(null);
        }
        return item;
    }

    @Override
    public Parameter filterParameter(Parameter parameter) {
        if (parameter.getIn() == Parameter.In.HEADER && IGNORED_HEADERS.contains(parameter.getName())) {
            return null;
        }
        if (parameter.getDescription() == null && parameter.getIn() != null) {
            String description = DESCRIPTIONS.get(parameter.getName());
            if (description != null) {
                parameter.setDescription(description);
            }
        }
        return parameter;
    }
}
