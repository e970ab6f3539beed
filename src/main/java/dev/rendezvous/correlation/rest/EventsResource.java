package dev.rendezvous.correlation.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.correlation.model.Change;
import dev.rendezvous.correlation.model.RendezvousException;
import dev.rendezvous.correlation.service.CorrelationService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import java.util.Map;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A correlation's changes as Server-Sent Events: the current state first, then each heartbeat, and
 * the outcome or expiry last, after which the stream ends. Holds no thread while it waits.
 */
@Path("/v1/correlations")
class EventsResource {

    private final CorrelationService service;
    private final ApiKeys apiKeys;
    private final BaseUrl baseUrl;
    private final ObjectMapper json;
    private final ProblemMappers problems;
    private final Duration keepAlive;

    EventsResource(
            CorrelationService service,
            ApiKeys apiKeys,
            BaseUrl baseUrl,
            ObjectMapper json,
            ProblemMappers problems,
            RendezvousConfig config) {
        this.service = service;
        this.apiKeys = apiKeys;
        this.baseUrl = baseUrl;
        this.json = json;
        this.problems = problems;
        this.keepAlive = config.sseKeepAlive();
    }

    @GET
    @Path("{id}/events")
    @CheckedBeforeStreaming
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> events(
            @RestPath String id,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            UriInfo uri,
            @Context Sse sse) {
        Caller caller = apiKeys.caller(authorization);
        return service.status(caller.id(id), caller.owner()).onItem().transformToMulti(current -> {
            Views.Links links = baseUrl.links(uri, current);
            return service.changes(current, keepAlive).map(change -> event(sse, change, id, links));
        });
    }

    /**
     * Answers what would otherwise end a stream that has already begun, with no way left to say why:
     * a bad ID or key, an unknown correlation or a full instance get their problem before the stream
     * starts. The stream itself checks again, since a correlation can vanish in between.
     */
    @ServerRequestFilter
    @CheckedBeforeStreaming
    Uni<Response> refuseBeforeStreaming(UriInfo uri, HttpHeaders headers) {
        String id = uri.getPathParameters().getFirst("id");
        return Uni.createFrom()
                .item(() -> apiKeys.caller(headers.getHeaderString(HttpHeaders.AUTHORIZATION)))
                .chain(caller -> service.status(caller.id(id), caller.owner()))
                .invoke(found -> service.ensureRoomToWait(found.id()))
                .replaceWith((Response) null)
                .onFailure(RendezvousException.class)
                .recoverWithItem(refused ->
                        problems.rejected((RendezvousException) refused, uri).toResponse());
    }

    private OutboundSseEvent event(Sse sse, Change change, String id, Views.Links links) {
        if (change.kind() == Change.Kind.KEEP_ALIVE) {
            return sse.newEventBuilder().comment("keep-alive").build();
        }
        Object data = change.correlation() == null
                ? Map.of("id", id, "state", "expired")
                : Views.Status.of(change.correlation(), links);
        return sse.newEventBuilder()
                .name(change.kind().eventName())
                .data(text(data))
                .build();
    }

    private String text(Object data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Status views always serialise", e);
        }
    }
}
