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
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

/** Pull workers take jobs here, authenticated by a worker key of the route; waiting holds no thread. */
@Path("/v1/routes/{route}/jobs")
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
    public Uni<Response> take(
            @RestPath String route,
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
