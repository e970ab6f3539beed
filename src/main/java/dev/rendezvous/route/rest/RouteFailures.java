package dev.rendezvous.route.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rendezvous.correlation.rest.Problem;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * The last resort for failures that escape Quarkus REST (a malformed request line or {@code Host},
 * a body that breaks off): a problem answer, and a log line naming the path only. The framework's
 * own error handler would log the whole URI, and with it a callback token in {@code ?token=}.
 */
@Singleton
class RouteFailures {

    private static final Logger LOG = Logger.getLogger(RouteFailures.class);

    /** Ahead of the framework's error handler. */
    private static final int ORDER = -200;

    private final ObjectMapper json;

    RouteFailures(ObjectMapper json) {
        this.json = json;
    }

    void register(@Observes Router router) {
        router.route().order(ORDER).failureHandler(this::answer);
    }

    private void answer(RoutingContext context) {
        int status = context.statusCode() >= 400 ? context.statusCode() : 500;
        String path = context.request().path();
        HttpServerResponse response = context.response();
        if (response.headWritten()) {
            // An answer is already on its way (the framework refused an oversized body, say).
            LOG.debugf("Failure after answering %s: %s", path, describe(context.failure()));
            response.reset();
            return;
        }
        if (status >= 500) {
            // The failure's type only: its message may quote the request URI.
            LOG.errorf("%d serving %s: %s", status, path, describe(context.failure()));
        } else {
            LOG.debugf("%d serving %s", status, path);
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(Buffer.buffer(problem(status, path)));
    }

    private byte[] problem(int status, String path) {
        String title = status >= 500 ? "Internal error" : "Bad request";
        String detail = status >= 500
                ? "The service failed unexpectedly; the failure is logged."
                : "The request cannot be served.";
        try {
            return json.writeValueAsBytes(
                    Problem.of(status >= 500 ? "internal-error" : "bad-request", title, status, detail, path));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A problem record always serialises", e);
        }
    }

    private static String describe(Throwable failure) {
        return failure == null ? "no cause" : failure.getClass().getName();
    }
}
