package dev.rendezvous.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.core.Rejection;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Refuses a body whose declared {@code Content-Length} exceeds {@code max-body} before a byte of it
 * is read, with a problem rather than the framework's bare 413. A chunked body is refused with 411:
 * the framework could only cut it off midway, with no answer a client can read.
 */
@Singleton
class BodyLimit {

    /** Ahead of the framework's own size check. */
    private static final int ORDER = -100;

    private final long maxBody;
    private final ObjectMapper json;

    BodyLimit(RendezvousConfig config, ObjectMapper json) {
        this.maxBody = config.maxBody().asLongValue();
        this.json = json;
    }

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext context) {
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && exceeds(declared)) {
            refuse(context, Rejection.TOO_LARGE, "A body is at most " + maxBody + " bytes.");
        } else if (declared == null && hasBodyOfUnknownLength(context.request())) {
            refuse(context, Rejection.LENGTH_REQUIRED, "Send a body with a Content-Length header.");
        } else {
            context.next();
        }
    }

    /** Closes an HTTP/1.1 connection too, so that the unread body is never read. */
    private void refuse(RoutingContext context, Rejection rejection, String detail) {
        Problem problem = Problem.of(
                rejection.slug(),
                rejection.title(),
                rejection.status(),
                detail,
                context.request().path());
        byte[] body;
        try {
            body = json.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A problem record always serialises", e);
        }
        HttpServerResponse response = context.response()
                .setStatusCode(rejection.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        // HTTP/2 forbids the Connection header; ending the stream there leaves other streams alone.
        boolean http1 = context.request().version() != HttpVersion.HTTP_2;
        if (http1) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(Buffer.buffer(body)).onComplete(written -> {
            if (http1) {
                context.request().connection().close();
            }
        });
    }

    /**
     * A chunked HTTP/1.1 body. An HTTP/2 body without Content-Length cannot be told from no body
     * here; the framework cuts it off at {@code max-body} instead.
     */
    private static boolean hasBodyOfUnknownLength(HttpServerRequest request) {
        return request.version() != HttpVersion.HTTP_2 && request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }

    private boolean exceeds(String declared) {
        try {
            return Long.parseLong(declared.strip()) > maxBody;
        } catch (NumberFormatException e) {
            return false; // The HTTP codec has already refused malformed lengths.
        }
    }
}
