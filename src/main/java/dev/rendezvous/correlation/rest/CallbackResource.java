package dev.rendezvous.correlation.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.correlation.model.Outcome;
import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.service.CorrelationService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/** The worker side: deliver a result, report a failure, send a heartbeat; each needs the callback token. */
@Path("/v1/correlations")
class CallbackResource {

    private static final int MAX_DETAILS_BYTES = 4096;
    private static final int DEFAULT_FAILURE_STATUS = 502;
    private static final String DEFAULT_FAILURE_TITLE = "Work failed";

    private final CorrelationService service;
    private final BaseUrl baseUrl;
    private final ObjectMapper json;
    private final long maxBody;
    private final Duration maxTtl;

    CallbackResource(CorrelationService service, BaseUrl baseUrl, ObjectMapper json, RendezvousConfig config) {
        this.service = service;
        this.baseUrl = baseUrl;
        this.json = json;
        this.maxBody = config.maxBody().asLongValue();
        this.maxTtl = config.maxTtl();
    }

    @POST
    @Path("{id}/result")
    @Consumes(MediaType.WILDCARD)
    public Uni<RestResponse<Void>> deliver(
            @RestPath String id,
            @BeanParam Callback callback,
            @RestHeader(HttpHeaders.CONTENT_TYPE) String contentType,
            byte[] body) {
        Caller.workerId(id);
        String bearer = callback.token();
        byte[] bytes = limited(body);
        Outcome result = new Outcome.Result(bytes, Inputs.contentType(contentType));
        return service.settle(id, bearer, result, callback.signed(bytes)).map(settled -> RestResponse.noContent());
    }

    @POST
    @Path("{id}/failure")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Void>> fail(@RestPath String id, @BeanParam Callback callback, byte[] body)
            throws IOException {
        Caller.workerId(id);
        String bearer = callback.token();
        byte[] bytes = limited(body);
        Outcome.Failure report = failure(parse(bytes, Requests.Failure.class));
        return service.settle(id, bearer, report, callback.signed(bytes)).map(settled -> RestResponse.noContent());
    }

    @POST
    @Path("{id}/heartbeat")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Views.Status> heartbeat(@RestPath String id, @BeanParam Callback callback, byte[] body, UriInfo uri)
            throws IOException {
        Caller.workerId(id);
        String bearer = callback.token();
        byte[] bytes = limited(body);
        Requests.Heartbeat beat = parse(bytes, Requests.Heartbeat.class);
        Requests.Heartbeat request = beat != null ? beat : new Requests.Heartbeat(null, null);
        Duration extension = request.ttl() == null ? null : clampedTtl(request.ttl());
        return service.heartbeat(id, bearer, extension, details(request), callback.signed(bytes))
                .map(beaten -> Views.Status.of(beaten, baseUrl.links(uri, beaten)));
    }

    /**
     * Parses a JSON body read as bytes, since a signature covers exactly those bytes; an empty body
     * stands for defaults.
     */
    private <T> T parse(byte[] body, Class<T> type) throws IOException {
        return body.length == 0 ? null : json.readValue(body, type);
    }

    private byte[] limited(byte[] body) {
        byte[] bytes = body != null ? body : new byte[0];
        if (bytes.length > maxBody) {
            throw Rejection.TOO_LARGE.because("A body is at most " + maxBody + " bytes.");
        }
        return bytes;
    }

    private static Outcome.Failure failure(Requests.Failure report) {
        if (report == null) {
            return new Outcome.Failure(DEFAULT_FAILURE_STATUS, DEFAULT_FAILURE_TITLE, null);
        }
        int status = report.status() != null ? report.status() : DEFAULT_FAILURE_STATUS;
        if (status < 400 || status > 599) {
            throw Inputs.invalid("status must be between 400 and 599.");
        }
        String title = report.title() != null ? report.title() : DEFAULT_FAILURE_TITLE;
        return new Outcome.Failure(status, title, report.detail());
    }

    /** A heartbeat may ask for more than {@code max-ttl}; it gets {@code max-ttl}. */
    private Duration clampedTtl(long seconds) {
        if (seconds < 1) {
            throw Inputs.invalid("ttl must be at least 1 second.");
        }
        return Duration.ofSeconds(Math.min(seconds, maxTtl.toSeconds()));
    }

    private String details(Requests.Heartbeat body) {
        if (body.details() == null) {
            return null;
        }
        try {
            byte[] details = json.writeValueAsBytes(body.details());
            if (details.length > MAX_DETAILS_BYTES) {
                throw Rejection.TOO_LARGE.because(
                        "Heartbeat details are at most " + MAX_DETAILS_BYTES + " bytes of JSON.");
            }
            return new String(details, StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw Inputs.invalid("Heartbeat details are not valid JSON.");
        }
    }
}
