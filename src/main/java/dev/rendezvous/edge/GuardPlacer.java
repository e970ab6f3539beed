package dev.rendezvous.edge;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import java.util.function.Supplier;

/**
 * First in a connection's pipeline: puts its {@link ConnectionGuard} right behind the HTTP/1.x
 * codec, where it sees decoded heads and whole answers, as soon as Vert.x has set the codec up (at
 * once on a cleartext port; after the handshake with TLS), and tells it when bytes arrive. An
 * HTTP/2 connection gets no guard: its streams are framed, and it has its own limits.
 */
final class GuardPlacer extends ChannelInboundHandlerAdapter {

    static final String NAME = "rendezvous-guard-placer";
    private static final String GUARD = "rendezvous-guard";

    private final Supplier<ConnectionGuard> guards;
    private ConnectionGuard guard;

    GuardPlacer(Supplier<ConnectionGuard> guards) {
        this.guards = guards;
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
        place(ctx.pipeline());
        ctx.fireChannelRegistered();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (guard == null) {
            place(ctx.pipeline());
        }
        if (guard != null) {
            guard.bytesArrived();
        } else if (ctx.pipeline().get(Http2ConnectionHandler.class) != null) {
            ctx.pipeline().remove(this);
        }
        ctx.fireChannelRead(message);
    }

    private void place(ChannelPipeline pipeline) {
        var encoder = pipeline.context(HttpResponseEncoder.class);
        if (encoder != null && guard == null) {
            guard = guards.get();
            pipeline.addAfter(encoder.name(), GUARD, guard);
        }
    }
}
