package dev.rendezvous.edge;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;

/**
 * First in a connection's pipeline: puts its {@link ConnectionGuard} right behind the HTTP/1.x
 * codec, where it sees decoded heads and whole answers, as soon as Vert.x has set the codec up, and
 * tells it when bytes arrive. On a cleartext port that is before the first byte; with TLS or the
 * PROXY protocol, the codec comes with a later read, and the guard then only checks heads. An
 * HTTP/2 connection gets no guard: its streams are framed, and it has its own limits.
 */
final class GuardPlacer extends ChannelInboundHandlerAdapter {

    static final String NAME = "rendezvous-guard-placer";
    private static final String GUARD = "rendezvous-guard";

    private final GuardSettings settings;
    private ConnectionGuard guard;

    GuardPlacer(GuardSettings settings) {
        this.settings = settings;
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
        place(ctx.pipeline(), settings);
        ctx.fireChannelRegistered();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (guard == null) {
            place(ctx.pipeline(), settings.withoutDeadlines());
        }
        if (guard != null) {
            guard.bytesArrived();
        } else if (ctx.pipeline().get(Http2ConnectionHandler.class) != null) {
            ctx.pipeline().remove(this);
        }
        ctx.fireChannelRead(message);
    }

    private void place(ChannelPipeline pipeline, GuardSettings chosen) {
        var encoder = pipeline.context(HttpResponseEncoder.class);
        if (encoder != null && guard == null) {
            guard = new ConnectionGuard(chosen);
            pipeline.addAfter(encoder.name(), GUARD, guard);
        }
    }
}
