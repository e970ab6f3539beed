package dev.rendezvous.api;

import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.core.CorrelationService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Duration;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The client side: create a correlation, read its status, wait for its result, cancel it. With API
 * keys on, each request acts as the owner its key names, and sees only that owner's correlations.
 */
@Path("/v1/correlations")
class CorrelationResource {

    private final CorrelationService service;
    private final BaseUrl baseUrl;
    private final ResultResponses results;
    private final ApiKeys apiKeys;
    private final Duration maxTtl;
    private final Duration maxWait;
    private final boolean signingRequired;

    CorrelationResource(
            CorrelationService service,
            BaseUrl baseUrl,
            ResultResponses results,
            ApiKeys apiKeys,
            RendezvousConfig config) {
        this.service = service;
        this.baseUrl = baseUrl;
        this.results = results;
        this.apiKeys = apiKeys;
        this.maxTtl = config.maxTtl();
        this.maxWait = config.maxWait();
        this.signingRequired = config.signingRequired();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Views.Created>> create(
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization, Requests.Create request, UriInfo uri) {
        String owner = apiKeys.owner(authorization);
        Requests.Create body = request != null ? request : new Requests.Create(null, null, null);
        boolean signing = signingRequired || Boolean.TRUE.equals(body.signing());
        String id = body.id() != null ? Inputs.id(body.id()) : null;
        return service.create(id, Inputs.ttl(body.ttl(), maxTtl), owner, signing)
                .map(created -> {
                    Views.Links links = baseUrl.links(uri, created.correlation().id());
                    return RestResponse.ResponseBuilder.<Views.Created>created(URI.create(links.self()))
                            .entity(Views.Created.of(
                                    created.correlation(), created.token(), created.signingSecret(), links))
                            .header(HttpHeaders.CACHE_CONTROL, "no-store")
                            .build();
                });
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Views.Status> status(
            @RestPath String id, @RestHeader(HttpHeaders.AUTHORIZATION) String authorization, UriInfo uri) {
        String caller = apiKeys.owner(authorization);
        return service.status(Inputs.id(id), caller).map(found -> Views.Status.of(found, baseUrl.links(uri, id)));
    }

    /**
     * Answers with a plain {@link Response}: for a declared {@code Object} entity Quarkus REST would
     * fix the JSON writer at build time and encode a result's bytes as base64.
     */
    @GET
    @Path("{id}/result")
    @Produces(MediaType.WILDCARD)
    public Uni<Response> result(
            @RestPath String id,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @RestHeader("Prefer") String prefer,
            UriInfo uri) {
        String caller = apiKeys.owner(authorization);
        Inputs.id(id);
        // Read from the raw query: an empty "wait=" must be refused, not taken for an absent one.
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        WaitPreference preference = WaitPreference.of(query.getFirst("wait"), prefer, maxWait);
        boolean once = Inputs.flag(query.getFirst("consume"), "consume");
        return service.result(id, preference.duration(), once, caller)
                .map(found -> results.answer(found, preference, uri).toResponse());
    }

    @DELETE
    @Path("{id}")
    public Uni<RestResponse<Void>> cancel(
            @RestPath String id, @RestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        String caller = apiKeys.owner(authorization);
        return service.cancel(Inputs.id(id), caller).map(cancelled -> RestResponse.noContent());
    }
}
