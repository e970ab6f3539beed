package dev.rendezvous.correlation.rest;

import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.correlation.service.CorrelationService;
import dev.rendezvous.correlation.service.CorrelationService.Callbacks;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
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
        Caller caller = apiKeys.caller(authorization);
        Requests.Create body = request != null ? request : new Requests.Create(null, null, null);
        Callbacks callbacks =
                signingRequired || Boolean.TRUE.equals(body.signing()) ? Callbacks.SIGNED : Callbacks.TOKEN;
        String id = caller.idOrNew(body.id());
        return service.create(id, Inputs.ttl(body.ttl(), maxTtl), caller.owner(), callbacks)
                .map(created -> {
                    Views.Links links = baseUrl.links(uri, created.correlation());
                    // A header rather than created(URI): the link is absolute already, no need to parse it.
                    return RestResponse.ResponseBuilder.<Views.Created>create(RestResponse.Status.CREATED)
                            .header(HttpHeaders.LOCATION, links.self())
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
        Caller caller = apiKeys.caller(authorization);
        return service.status(caller.id(id), caller.owner())
                .map(found -> Views.Status.of(found, baseUrl.links(uri, found)));
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
            UriInfo uri,
            @Context HttpServerRequest request) {
        Caller caller = apiKeys.caller(authorization);
        String stored = caller.id(id);
        // From the raw query: an empty "wait=" must be refused, not taken for an absent one, and a
        // decoded parameter map would be held for the whole wait.
        String query = request.query();
        WaitPreference preference = WaitPreference.of(QueryString.first(query, "wait"), prefer, maxWait);
        boolean once = Inputs.flag(QueryString.first(query, "consume"), "consume");
        return service.result(stored, preference.duration(), once, caller.owner())
                .map(found -> results.answer(found, preference, uri, request.response())
                        .toResponse());
    }

    @DELETE
    @Path("{id}")
    public Uni<RestResponse<Void>> cancel(
            @RestPath String id, @RestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = apiKeys.caller(authorization);
        return service.cancel(caller.id(id), caller.owner()).map(cancelled -> RestResponse.noContent());
    }
}
