package dev.rendezvous.correlation.rest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.model.RendezvousException;
import dev.rendezvous.correlation.service.ExchangeEvents;
import jakarta.inject.Singleton;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error answer of the service: an RFC 9457 problem with no stack trace or class name. Client
 * mistakes are logged quietly, server faults loudly.
 */
@Singleton
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private final ExchangeEvents events;

    ProblemMappers(ExchangeEvents events) {
        this.events = events;
    }

    @ServerExceptionMapper
    public RestResponse<Problem> rejected(RendezvousException e, UriInfo uri) {
        Rejection rejection = e.rejection();
        RestResponse.ResponseBuilder<Problem> answer =
                problem(rejection.slug(), rejection.title(), rejection.status(), e.detail(), uri);
        if (rejection.retryAfterSeconds() > 0) {
            answer.header(HttpHeaders.RETRY_AFTER, rejection.retryAfterSeconds());
        }
        if (rejection.status() == 401) {
            answer.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return answer.build();
    }

    @ServerExceptionMapper
    RestResponse<Problem> http(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json, uri);
        }
        Response.StatusType status = e.getResponse().getStatusInfo();
        String slug = status.getReasonPhrase().toLowerCase(Locale.ROOT).replace(' ', '-');
        return problem(slug, status.getReasonPhrase(), status.getStatusCode(), describe(status.getStatusCode()), uri)
                .build();
    }

    @ServerExceptionMapper({
        JsonProcessingException.class,
        MismatchedInputException.class,
        UnrecognizedPropertyException.class,
        JsonParseException.class
    })
    RestResponse<Problem> json(JsonProcessingException e, UriInfo uri) {
        return problem(Rejection.INVALID.slug(), Rejection.INVALID.title(), 400, describe(e), uri)
                .build();
    }

    /** A body that broke off or ran past {@code max-body} while it was being read. */
    @ServerExceptionMapper
    RestResponse<Problem> unreadable(IOException e, UriInfo uri) {
        return problem(
                        Rejection.TOO_LARGE.slug(),
                        Rejection.TOO_LARGE.title(),
                        Rejection.TOO_LARGE.status(),
                        "The body could not be read in full; a body is at most max-body bytes.",
                        uri)
                .build();
    }

    @ServerExceptionMapper
    RestResponse<Problem> unexpected(Throwable e, UriInfo uri) {
        LOG.errorf(e, "Unexpected failure serving %s", uri.getPath());
        return problem(
                        "internal-error",
                        "Internal error",
                        500,
                        "The service failed unexpectedly; the failure is logged.",
                        uri)
                .build();
    }

    private RestResponse.ResponseBuilder<Problem> problem(
            String slug, String title, int status, String detail, UriInfo uri) {
        events.rejected(status);
        // The store logs each outage once; a line per refused request would bury that one.
        if (status >= 500 && !slug.equals(Rejection.STORE_UNAVAILABLE.slug())) {
            LOG.warnf("%d %s %s: %s", status, slug, uri.getPath(), detail);
        } else {
            LOG.debugf("%d %s %s: %s", status, slug, uri.getPath(), detail);
        }
        return RestResponse.ResponseBuilder.<Problem>create(status)
                .entity(Problem.of(slug, title, status, detail, uri.getPath()))
                .type(Problem.MEDIA_TYPE);
    }

    /** Says what is wrong with a JSON body in the API's own terms, never with Java type names. */
    private static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "Unknown field '" + unknown.getPropertyName() + "'.";
        }
        if (causedBy(e, StreamConstraintsException.class)) {
            return "The body nests too deep or holds too long a number.";
        }
        if (e instanceof InputCoercionException) {
            return "A number in the body is out of range.";
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(reference -> reference.getFieldName() != null
                            ? reference.getFieldName()
                            : "[" + reference.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return "Field '" + field + "' has the wrong type or value.";
        }
        if (e instanceof JsonMappingException) {
            return "The body must be a JSON object.";
        }
        return "The body is not valid JSON.";
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(int status) {
        return switch (status) {
            case 404 -> "No such resource.";
            case 405 -> "This resource does not support that method.";
            case 406 -> "This resource cannot answer in the requested media type.";
            case 413 -> "The body is too large.";
            case 415 -> "This resource does not accept that Content-Type.";
            default -> "The request cannot be served.";
        };
    }
}
