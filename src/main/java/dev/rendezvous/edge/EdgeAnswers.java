package dev.rendezvous.edge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rendezvous.correlation.rest.Problem;
import dev.rendezvous.correlation.service.ExchangeEvents;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** The problem documents the edge answers with, each counted like every other refusal; each closes its connection. */
final class EdgeAnswers {

    private final ObjectMapper json;
    private final ExchangeEvents events;

    EdgeAnswers(ObjectMapper json, ExchangeEvents events) {
        this.json = json;
        this.events = events;
    }

    FullHttpResponse of(Refusal refusal, String instance) {
        events.rejected(refusal.status());
        byte[] body;
        try {
            body = json.writeValueAsBytes(
                    Problem.of(refusal.slug(), refusal.title(), refusal.status(), refusal.detail(), instance));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A problem record always serialises", e);
        }
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(refusal.status()), Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }
}
