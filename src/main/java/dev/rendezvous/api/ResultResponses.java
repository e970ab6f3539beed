package dev.rendezvous.api;

import dev.rendezvous.core.Correlation;
import dev.rendezvous.core.Outcome;
import dev.rendezvous.core.Rejection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestResponse;

/** Turns a correlation read by a client into the answer of {@code GET .../result}. */
@ApplicationScoped
class ResultResponses {

    private static final String PENDING_RETRY_AFTER = "1";
    private static final String WORK_FAILED = "work-failed";
    private static final String NO_DETAIL = "The worker reported a failure without details.";

    private final BaseUrl baseUrl;

    ResultResponses(BaseUrl baseUrl) {
        this.baseUrl = baseUrl;
    }

    RestResponse<Object> answer(Correlation correlation, WaitPreference preference, UriInfo uri) {
        return answer(correlation, preference, uri, null);
    }

    /** As above; a pending answer points at {@code location} instead of this very read, when given. */
    RestResponse<Object> answer(Correlation correlation, WaitPreference preference, UriInfo uri, String location) {
        RestResponse.ResponseBuilder<Object> answer = switch (correlation.state()) {
            case COMPLETED -> completed((Outcome.Result) correlation.outcome());
            case FAILED -> failed((Outcome.Failure) correlation.outcome(), uri);
            case CANCELLED -> throw Rejection.CANCELLED.because("The client cancelled this correlation.");
            case PENDING ->
                RestResponse.ResponseBuilder.create(RestResponse.Status.ACCEPTED)
                        .entity(Views.Status.of(correlation, baseUrl.links(uri, correlation.id())))
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
        String result = baseUrl.links(uri, correlation.id()).result();
        return query == null ? result : result + "?" + query;
    }

    /** The worker's bytes, which could be anything: browsers must neither sniff nor run them. */
    private static RestResponse.ResponseBuilder<Object> completed(Outcome.Result result) {
        return RestResponse.ResponseBuilder.ok((Object) result.body())
                .header(
                        HttpHeaders.CONTENT_TYPE,
                        result.contentType() != null ? result.contentType() : MediaType.APPLICATION_OCTET_STREAM)
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "sandbox");
    }

    private static RestResponse.ResponseBuilder<Object> failed(Outcome.Failure failure, UriInfo uri) {
        String detail = failure.detail() != null ? failure.detail() : NO_DETAIL;
        Problem problem = Problem.of(WORK_FAILED, failure.title(), failure.status(), detail, uri.getPath());
        return RestResponse.ResponseBuilder.create(failure.status())
                .entity((Object) problem)
                .type(Problem.MEDIA_TYPE);
    }
}
