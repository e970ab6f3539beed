package dev.rendezvous.route.rest;

import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.correlation.model.Correlation;
import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.model.RendezvousException;
import dev.rendezvous.correlation.rest.ApiKeys;
import dev.rendezvous.correlation.rest.BaseUrl;
import dev.rendezvous.correlation.rest.Caller;
import dev.rendezvous.correlation.rest.Inputs;
import dev.rendezvous.correlation.rest.ProblemMappers;
import dev.rendezvous.correlation.rest.QueryString;
import dev.rendezvous.correlation.rest.ResultResponses;
import dev.rendezvous.correlation.rest.Views;
import dev.rendezvous.correlation.rest.WaitPreference;
import dev.rendezvous.correlation.service.CorrelationService;
import dev.rendezvous.route.service.JobService;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.Consumes;
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

/**
 * Submission through a route: one request creates the correlation, hands the job to the route's
 * workers and, if the client prefers, waits for the outcome, answering as {@code GET .../result} does.
 */
@Path("/v1/routes/{route}/correlations")
@Tag(name = "Routes")
@SecurityRequirementsSet // API keys are optional: without rendezvous.api-keys the client API is open.
@SecurityRequirement(name = "apiKey")
class RouteResource {

    private static final String ID_HEADER = JobHeaders.CORRELATION_ID;

    private final JobService jobs;
    private final CorrelationService service;
    private final BaseUrl baseUrl;
    private final ResultResponses results;
    private final ApiKeys apiKeys;
    private final ProblemMappers problems;
    private final long maxBody;
    private final Duration maxTtl;
    private final Duration maxWait;

    RouteResource(
            JobService jobs,
            CorrelationService service,
            BaseUrl baseUrl,
            ResultResponses results,
            ApiKeys apiKeys,
            ProblemMappers problems,
            RendezvousConfig config) {
        this.jobs = jobs;
        this.service = service;
        this.baseUrl = baseUrl;
        this.results = results;
        this.apiKeys = apiKeys;
        this.problems = problems;
        this.maxBody = config.maxBody().asLongValue();
        this.maxTtl = config.maxTtl();
        this.maxWait = config.maxWait();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.WILDCARD)
    @Operation(
            summary = "Submit a job to a route and, with `Prefer: wait=N`, wait for its outcome",
            description = "Creates a correlation exactly as `POST /v1/correlations` does and hands the body to the"
                    + " route's workers. With `Prefer: wait=N` the answers are those of `GET .../result`; without it"
                    + " (or with `Prefer: respond-async`) 202 at once. Every answer names the correlation in"
                    + " `Location` (its result) and `Rendezvous-Correlation-Id`.")
    @Parameter(
            name = "id",
            in = ParameterIn.QUERY,
            description = "The correlation's ID, `[A-Za-z0-9._~:-]{1,128}`; absent, an unguessable one is generated.",
            schema = @Schema(type = SchemaType.STRING))
    @Parameter(
            name = "ttl",
            in = ParameterIn.QUERY,
            description = "Seconds until the correlation expires, `1..max-ttl`; default the route's `ttl`.",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1"))
    @APIResponse(
            responseCode = "200",
            description = "Completed within the wait: the worker's result exactly as sent, with its `Content-Type`.",
            headers = {
                @Header(name = "Location", ref = "Result-Location"),
                @Header(name = "Rendezvous-Correlation-Id", ref = "Rendezvous-Correlation-Id"),
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
            description = "Submitted, and still running when the wait (if any) ended: read the result at `Location`.",
            headers = {
                @Header(name = "Location", ref = "Result-Location"),
                @Header(name = "Rendezvous-Correlation-Id", ref = "Rendezvous-Correlation-Id"),
                @Header(name = "Preference-Applied", ref = "Preference-Applied")
            },
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = Views.Status.class)))
    @APIResponse(responseCode = "400", ref = "InvalidRequest")
    @APIResponse(responseCode = "401", ref = "ApiKeyRequired")
    @APIResponse(responseCode = "404", ref = "RouteNotFound")
    @APIResponse(responseCode = "409", ref = "IdTaken")
    @APIResponse(responseCode = "410", ref = "Cancelled")
    @APIResponse(responseCode = "411", ref = "LengthRequired")
    @APIResponse(responseCode = "413", ref = "BodyTooLarge")
    @APIResponse(responseCode = "415", ref = "UnsupportedMediaType")
    @APIResponse(responseCode = "429", ref = "TooManyForKey")
    @APIResponse(responseCode = "502", ref = "WorkFailed")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    @APIResponse(responseCode = "default", ref = "WorkFailedWithStatus")
    public Uni<Response> submit(
            @Parameter(description = "A route's name, as configured in `rendezvous.routes.<name>`.") @RestPath
                    String route,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(
                            description = "RFC 7240: `wait=N` holds the request up to N seconds (clamped to `max-wait`)"
                                    + " for the outcome; `respond-async` answers 202 at once.",
                            example = "wait=30")
                    @RestHeader("Prefer")
                    String prefer,
            @RestHeader(HttpHeaders.CONTENT_TYPE) String contentType,
            @RequestBody(
                            description = "The job, any media type, up to `max-body`; workers get it as sent.",
                            content =
                                    @Content(
                                            mediaType = MediaType.WILDCARD,
                                            schema = @Schema(type = SchemaType.STRING, format = "binary")))
                    byte[] body,
            UriInfo uri,
            @Context HttpServerRequest request) {
        Caller caller = apiKeys.caller(authorization);
        String id = caller.idOrNew(QueryString.first(request.query(), "id"));
        Duration ttl = Inputs.ttlParameter(QueryString.first(request.query(), "ttl"), maxTtl);
        byte[] job = body != null ? body : new byte[0];
        if (job.length > maxBody) {
            throw Rejection.TOO_LARGE.because("A body is at most " + maxBody + " bytes.");
        }
        String type = Inputs.contentType(contentType);
        WaitPreference preference =
                prefersAsync(prefer) ? WaitPreference.NONE : WaitPreference.of(null, prefer, maxWait);
        return jobs.submit(route, id, ttl, caller.owner(), job, type, baseUrl.of(uri))
                .chain(created -> answer(created, preference, caller.owner(), uri, request.response()));
    }

    private Uni<Response> answer(
            Correlation created, WaitPreference preference, String owner, UriInfo uri, HttpServerResponse response) {
        String location = baseUrl.links(uri, created).result();
        Uni<Response> outcome = preference.duration().isZero()
                ? Uni.createFrom()
                        .item(results.answer(created, preference, uri, response, location)
                                .toResponse())
                : service.result(created.id(), preference.duration(), false, owner)
                        .map(found -> results.answer(found, preference, uri, response, location)
                                .toResponse());
        return outcome.onFailure(RendezvousException.class)
                .recoverWithItem(failure ->
                        problems.rejected((RendezvousException) failure, uri).toResponse())
                .map(answer -> Response.fromResponse(answer)
                        .header(HttpHeaders.LOCATION, null)
                        .header(HttpHeaders.LOCATION, location)
                        .header(ID_HEADER, Caller.visibleId(created))
                        .build());
    }

    /** {@code Prefer: respond-async} asks for 202 at once, whatever else is preferred. */
    private static boolean prefersAsync(String prefer) {
        if (prefer == null) {
            return false;
        }
        for (String preference : prefer.split(",")) {
            if (preference.split(";", 2)[0].strip().equalsIgnoreCase("respond-async")) {
                return true;
            }
        }
        return false;
    }
}
