package dev.rendezvous.route.rest;

import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.correlation.rest.Inputs;
import dev.rendezvous.correlation.rest.QueryString;
import dev.rendezvous.route.model.Job;
import dev.rendezvous.route.service.JobService;
import dev.rendezvous.route.service.Routes;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

/** Pull workers take jobs here, authenticated by a worker key of the route; waiting holds no thread. */
@Path("/v1/routes/{route}/jobs")
@Tag(name = "Routes")
@SecurityRequirement(name = "workerKey")
class JobResource {

    private final JobService jobs;
    private final Routes routes;
    private final Duration maxWait;

    JobResource(JobService jobs, Routes routes, RendezvousConfig config) {
        this.jobs = jobs;
        this.routes = routes;
        this.maxWait = config.maxWait();
    }

    @GET
    @Produces(MediaType.WILDCARD)
    @Operation(
            summary = "Take the next job of a pull route",
            description = "The job is leased, not removed: without a result, failure or heartbeat before"
                    + " `Rendezvous-Lease-Until` it is offered again (attempt + 1) up to the route's `max-attempts`,"
                    + " then its correlation fails with 502. A heartbeat extends the lease.")
    @Parameter(
            name = "wait",
            in = ParameterIn.QUERY,
            description = "Seconds to wait for a job, `0..max-wait` (default 0); anything else is 400.",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "0"))
    @APIResponse(
            responseCode = "200",
            description = "A job: its body and `Content-Type` as submitted, with the URLs to answer it by.",
            headers = {
                @Header(name = "Rendezvous-Correlation-Id", ref = "Rendezvous-Correlation-Id"),
                @Header(
                        name = "Rendezvous-Callback-Url",
                        description = "Where to POST the result (token included).",
                        schema = @Schema(type = SchemaType.STRING, format = "uri")),
                @Header(
                        name = "Rendezvous-Failure-Url",
                        description = "Where to POST a failure report (token included).",
                        schema = @Schema(type = SchemaType.STRING, format = "uri")),
                @Header(
                        name = "Rendezvous-Heartbeat-Url",
                        description = "Where to POST heartbeats, which extend the lease (token included).",
                        schema = @Schema(type = SchemaType.STRING, format = "uri")),
                @Header(
                        name = "Rendezvous-Deadline",
                        description = "When the correlation expires.",
                        schema = @Schema(type = SchemaType.STRING, format = "date-time")),
                @Header(
                        name = "Rendezvous-Lease-Until",
                        description = "When the job is offered again unless answered or heartbeaten.",
                        schema = @Schema(type = SchemaType.STRING, format = "date-time")),
                @Header(
                        name = "Rendezvous-Attempt",
                        description = "Which lease of this job this is, from 1.",
                        schema = @Schema(type = SchemaType.INTEGER))
            },
            content =
                    @Content(
                            mediaType = MediaType.WILDCARD,
                            schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "204", description = "No job arrived within the wait.")
    @APIResponse(responseCode = "400", ref = "InvalidRequest")
    @APIResponse(responseCode = "401", ref = "WorkerKeyRequired")
    @APIResponse(responseCode = "404", ref = "RouteNotFound")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Uni<Response> take(
            @Parameter(description = "A route's name, as configured in `rendezvous.routes.<name>`.") @RestPath
                    String route,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpServerRequest request) {
        routes.authenticateWorker(route, Inputs.bearer(authorization));
        String waitParameter = QueryString.first(request.query(), "wait");
        Duration wait = waitParameter == null ? Duration.ZERO : Inputs.waitSeconds(waitParameter, maxWait);
        return jobs.take(route, wait)
                .map(job -> job == null ? Response.noContent().build() : handOut(job));
    }

    /** The job as its worker gets it; the headers carry its token, so nothing may cache the answer. */
    private static Response handOut(Job job) {
        Response.ResponseBuilder answer = Response.ok(job.body())
                .type(job.contentType() != null ? job.contentType() : MediaType.APPLICATION_OCTET_STREAM)
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
        JobHeaders.of(job).forEach(answer::header);
        return answer.build();
    }
}
