package dev.rendezvous.api;

import dev.rendezvous.config.RendezvousConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.UriInfo;
import java.util.Optional;

/** The base of every URL the service hands out: {@code public-url} when set, else the request's own. */
@ApplicationScoped
class BaseUrl {

    private final Optional<String> configured;

    BaseUrl(RendezvousConfig config) {
        this.configured = config.publicUrl().map(url -> url.endsWith("/") ? url : url + "/");
    }

    String of(UriInfo request) {
        return configured.orElseGet(() -> request.getBaseUri().toString());
    }

    Views.Links links(UriInfo request, String id) {
        return Views.Links.of(of(request), id);
    }
}
