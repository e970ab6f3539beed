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
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

/**
 * Submission through a route: one request creates the correlation, hands the job to the route's
 * workers and, if the client prefers, waits for the outcome, answering as {@code GET .../result} does.
 */
@Path("/v1/routes/{route}/correlations")
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
    public Uni<Response> submit(
            @RestPath String route,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @RestHeader("Prefer") String prefer,
            @RestHeader(HttpHeaders.CONTENT_TYPE) String contentType,
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
