package dev.rendezvous.correlation.rest;

import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.correlation.model.Correlation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.UriInfo;
import java.util.Optional;

/** The base of every URL the service hands out: {@code public-url} when set, else the request's own. */
@ApplicationScoped
public class BaseUrl {

    private final Optional<String> configured;

    BaseUrl(RendezvousConfig config) {
        this.configured = config.publicUrl().map(url -> url.endsWith("/") ? url : url + "/");
    }

    public String of(UriInfo request) {
        return configured.orElseGet(() -> request.getBaseUri().toString());
    }

    /** A correlation's links: its client's ID in the client's, its stored ID in the worker's. */
    public Views.Links links(UriInfo request, Correlation correlation) {
        return Views.Links.of(of(request), Caller.visibleId(correlation), correlation.id());
    }
}
