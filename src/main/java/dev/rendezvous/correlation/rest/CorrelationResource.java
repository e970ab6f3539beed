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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The client side: create a correlation, read its status, wait for its result, cancel it. With API
 * keys on, each request acts as the owner its key names, and sees only that owner's correlations.
 */
@Path("/v1/correlations")
@Tag(name = "Correlations")
@SecurityRequirementsSet // API keys are optional: without rendezvous.api-keys the client API is open.
@SecurityRequirement(name = "apiKey")
@APIResponse(responseCode = "400", ref = "InvalidRequest")
@APIResponse(responseCode = "401", ref = "ApiKeyRequired")
@APIResponse(responseCode = "503", ref = "Unavailable")
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
    @Operation(
            summary = "Create a correlation",
            description = "The answer carries the callback token and URL (and, with `signing`, the signing secret),"
                    + " shown only here; hand them to the worker.")
    @APIResponse(
            responseCode = "201",
            description = "Created; `Cache-Control: no-store`.",
            headers = {
                @Header(
                        name = "Location",
                        description = "The correlation's URL.",
                        schema = @Schema(type = SchemaType.STRING, format = "uri")),
                @Header(name = "Cache-Control", schema = @Schema(type = SchemaType.STRING, example = "no-store"))
            },
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = Views.Created.class)))
    @APIResponse(responseCode = "409", ref = "IdTaken")
    @APIResponse(responseCode = "411", ref = "LengthRequired")
    @APIResponse(responseCode = "413", ref = "BodyTooLarge")
    @APIResponse(responseCode = "415", ref = "UnsupportedMediaType")
    @APIResponse(responseCode = "429", ref = "TooManyForKey")
    public Uni<RestResponse<Views.Created>> create(
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @RequestBody(
                            required = false,
                            description = "Every field optional: `id` (`[A-Za-z0-9._~:-]{1,128}`, not `.` or `..`;"
                                    + " absent: an unguessable one is generated), `ttl` (seconds, `1..max-ttl`;"
                                    + " default `default-ttl`), `signing` (require Standard Webhooks signatures).")
                    Requests.Create request,
            UriInfo uri) {
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
    @Operation(summary = "Read a correlation's status", description = "Never shows the callback token.")
    @APIResponse(responseCode = "200", description = "The status.")
    @APIResponse(responseCode = "404", ref = "NotFound")
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
    @Operation(
            summary = "Wait for or read the result",
            description = "Holds the request up to `wait` seconds while the correlation is pending. Any number of"
                    + " clients may wait at once; all get the result.")
    @Parameter(
            name = "wait",
            in = ParameterIn.QUERY,
            description = "Seconds to wait while pending, `0..max-wait` (default 0); anything else is 400. Wins over"
                    + " `Prefer: wait`.",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "0"))
    @Parameter(
            name = "consume",
            in = ParameterIn.QUERY,
            description = "`true`: remove the correlation after this successful read; of several consuming readers"
                    + " exactly one gets 200, the others 404.",
            schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false"))
    @APIResponse(
            responseCode = "200",
            description = "Completed: the body exactly as the worker sent it, with its `Content-Type`.",
            headers = {
                @Header(
                        name = "X-Content-Type-Options",
                        schema = @Schema(type = SchemaType.STRING, example = "nosniff")),
                @Header(
                        name = "Content-Security-Policy",
                        schema = @Schema(type = SchemaType.STRING, example = "sandbox")),
                @Header(name = "Preference-Applied", ref = "Preference-Applied")
            },
            content =
                    @Content(
                            mediaType = MediaType.WILDCARD,
                            schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(
            responseCode = "202",
            description = "Still pending when the wait ended; repeat the read at `Location`.",
            headers = {
                @Header(name = "Retry-After", ref = "Retry-After"),
                @Header(
                        name = "Location",
                        description = "This very read.",
                        schema = @Schema(type = SchemaType.STRING, format = "uri")),
                @Header(name = "Preference-Applied", ref = "Preference-Applied")
            },
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = Views.Status.class)))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "410", ref = "Cancelled")
    @APIResponse(responseCode = "502", ref = "WorkFailed")
    @APIResponse(responseCode = "default", ref = "WorkFailedWithStatus")
    public Uni<Response> result(
            @RestPath String id,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(
                            description = "RFC 7240 `wait=N`: seconds to wait, clamped to `max-wait` and reported in"
                                    + " `Preference-Applied`; ignored when malformed.",
                            example = "wait=30")
                    @RestHeader("Prefer")
                    String prefer,
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
    @Operation(summary = "Cancel a correlation", description = "Its waiters and later callbacks get 410.")
    @APIResponse(responseCode = "204", description = "Cancelled (again 204 if already cancelled).")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "AlreadySettled")
    public Uni<RestResponse<Void>> cancel(
            @RestPath String id, @RestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = apiKeys.caller(authorization);
        return service.cancel(caller.id(id), caller.owner()).map(cancelled -> RestResponse.noContent());
    }
}
