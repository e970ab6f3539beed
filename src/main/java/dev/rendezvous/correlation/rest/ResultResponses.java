package dev.rendezvous.correlation.rest;

import dev.rendezvous.correlation.model.Correlation;
import dev.rendezvous.correlation.model.Outcome;
import dev.rendezvous.correlation.model.Rejection;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestResponse;

/** Turns a correlation read by a client into the answer of {@code GET .../result}. */
@ApplicationScoped
public class ResultResponses {

    private static final String PENDING_RETRY_AFTER = "1";
    private static final String WORK_FAILED = "work-failed";
    private static final String NO_DETAIL = "The worker reported a failure without details.";

    private final BaseUrl baseUrl;

    ResultResponses(BaseUrl baseUrl) {
        this.baseUrl = baseUrl;
    }

    public RestResponse<Object> answer(
            Correlation correlation, WaitPreference preference, UriInfo uri, HttpServerResponse response) {
        return answer(correlation, preference, uri, response, null);
    }

    /** As above; a pending answer points at {@code location} instead of this very read, when given. */
    public RestResponse<Object> answer(
            Correlation correlation,
            WaitPreference preference,
            UriInfo uri,
            HttpServerResponse response,
            String location) {
        RestResponse.ResponseBuilder<Object> answer = switch (correlation.state()) {
            case COMPLETED -> completed((Outcome.Result) correlation.outcome(), response);
            case FAILED -> failed((Outcome.Failure) correlation.outcome(), uri);
            case CANCELLED -> throw Rejection.CANCELLED.exception();
            case PENDING ->
                RestResponse.ResponseBuilder.create(RestResponse.Status.ACCEPTED)
                        .entity(Views.Status.of(correlation, baseUrl.links(uri, correlation)))
                        .type(MediaType.APPLICATION_JSON_TYPE)
                        .header(HttpHeaders.RETRY_AFTER, PENDING_RETRY_AFTER)
                        .header(HttpHeaders.LOCATION, location != null ? location : sameRead(correlation, uri));
        };
        if (preference.applied() != null) {
            answer.header("Preference-Applied", preference.applied());
        }
        return answer.build();
    }

    /** This very read, so that a client can repeat it as it is. */
    private String sameRead(Correlation correlation, UriInfo uri) {
        String query = uri.getRequestUri().getRawQuery();
        String result = baseUrl.links(uri, correlation).result();
        return query == null ? result : result + "?" + query;
    }

    /**
     * The worker's bytes, which could be anything: browsers must neither sniff nor run them. Those two
     * headers go onto the HTTP response itself, since Quarkus REST copies each JAX-RS header through
     * four maps on its way out, which a held long-poll's dead state then keeps from a young
     * collection (docs/benchmark.md, round 7).
     */
    private static RestResponse.ResponseBuilder<Object> completed(Outcome.Result result, HttpServerResponse response) {
        response.putHeader("X-Content-Type-Options", "nosniff").putHeader("Content-Security-Policy", "sandbox");
        return RestResponse.ResponseBuilder.ok((Object) result.body())
                .header(
                        HttpHeaders.CONTENT_TYPE,
                        result.contentType() != null ? result.contentType() : MediaType.APPLICATION_OCTET_STREAM);
    }

    private static RestResponse.ResponseBuilder<Object> failed(Outcome.Failure failure, UriInfo uri) {
        String detail = failure.detail() != null ? failure.detail() : NO_DETAIL;
        Problem problem = Problem.of(WORK_FAILED, failure.title(), failure.status(), detail, uri.getPath());
        return RestResponse.ResponseBuilder.create(failure.status())
                .entity((Object) problem)
                .type(Problem.MEDIA_TYPE);
    }
}
