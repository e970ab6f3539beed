package dev.rendezvous.correlation.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.service.ExchangeEvents;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Checks that need no route, before anything reads the request. A body whose declared {@code
 * Content-Length} exceeds {@code max-body} is refused before a byte of it is read, with a problem
 * rather than the framework's bare 413; a chunked body with 411, since the framework could only cut
 * it off midway, with no answer a client can read. A header or query parameter that may appear once
 * but appears twice is refused with 400, rather than quietly taking the first: two tokens, two
 * waits or two media types mean the sender is confused, or someone is smuggling one past a proxy.
 */
@Singleton
class RequestGuards {

    /** Ahead of the framework's own size check. */
    private static final int ORDER = -100;

    private static final List<String> SINGLE_HEADERS =
            List.of("Authorization", "Content-Type", "webhook-id", "webhook-timestamp", "webhook-signature");
    private static final List<String> SINGLE_PARAMETERS = List.of("token", "wait", "consume", "id", "ttl");

    private final long maxBody;
    private final ObjectMapper json;
    private final ExchangeEvents events;

    RequestGuards(RendezvousConfig config, ObjectMapper json, ExchangeEvents events) {
        this.maxBody = config.maxBody().asLongValue();
        this.json = json;
        this.events = events;
    }

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
        // The router's own refusal of a request target it cannot decode (a stray '%', say) is bare.
        router.errorHandler(
                400, context -> refuse(context, Rejection.INVALID, "The request target could not be decoded."));
    }

    private void check(RoutingContext context) {
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        String repeated = repeated(context);
        if (repeated != null) {
            refuse(context, Rejection.INVALID, repeated + " may be given only once.");
        } else if (declared != null && exceeds(declared)) {
            refuse(context, Rejection.TOO_LARGE, "A body is at most " + maxBody + " bytes.");
        } else if (declared == null && hasBodyOfUnknownLength(context.request())) {
            refuse(context, Rejection.LENGTH_REQUIRED, "Send a body with a Content-Length header.");
        } else {
            context.next();
        }
    }

    /** Closes an HTTP/1.1 connection too, so that the unread body is never read. */
    private void refuse(RoutingContext context, Rejection rejection, String detail) {
        events.rejected(rejection.status());
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

    /** The first single-valued header or query parameter that the request repeats, or null. */
    private static String repeated(RoutingContext context) {
        String header = repeatedHeader(context.request().headers());
        if (header != null) {
            return header;
        }
        String query = context.request().query();
        if (query == null || query.indexOf('%') < 0) {
            // Read in place: the router's parameter map would stay with a held request for its whole wait.
            return QueryString.repeated(query, SINGLE_PARAMETERS);
        }
        // Escapes are rare here (IDs and tokens need none); malformed ones never get this far (edge.Refusal).
        for (String parameter : SINGLE_PARAMETERS) {
            if (context.queryParams().getAll(parameter).size() > 1) {
                return parameter;
            }
        }
        return null;
    }

    /**
     * The first of {@link #SINGLE_HEADERS} given twice. Looked up by name, and listed only when present:
     * a list per name cost every request five, and iterating the headers turns their names into
     * strings that a held request then keeps.
     */
    private static String repeatedHeader(MultiMap headers) {
        for (String name : SINGLE_HEADERS) {
            if (headers.contains(name) && headers.getAll(name).size() > 1) {
                return name;
            }
        }
        return null;
    }

    private boolean exceeds(String declared) {
        try {
            return Long.parseLong(declared.strip()) > maxBody;
        } catch (NumberFormatException e) {
            return false; // The HTTP codec has already refused malformed lengths.
        }
    }
}
