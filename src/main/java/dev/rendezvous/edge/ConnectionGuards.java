package dev.rendezvous.edge;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.correlation.service.ExchangeEvents;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.concurrent.EventExecutor;
import io.quarkus.value.registry.ValueRegistry;
import io.quarkus.vertx.http.HttpServer;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Puts a {@link ConnectionGuard} on every HTTP connection. Quarkus offers no hook for a connection
 * before its first request, so the first request through each listening socket hands this bean the
 * socket, and every connection it accepts from then on gets a guard from its first byte. Cleartext
 * HTTP/2 (h2c) is off: its prior-knowledge detection sets the HTTP/1.x codec up only after the first
 * bytes were read, past any guard (docs/edge.md).
 */
@Singleton
class ConnectionGuards implements HttpServerOptionsCustomizer {

    private static final Logger LOG = Logger.getLogger(ConnectionGuards.class);

    private static final String ACCEPTOR = "rendezvous-acceptor";

    /** Ahead of every other route, the request guards' included. */
    private static final int ORDER = -1_000;

    private final GuardSettings settings;
    private final Map<EventExecutor, DeadlineSweep> sweeps = new ConcurrentHashMap<>();
    private final Set<Channel> guarded = ConcurrentHashMap.newKeySet();
    private final Acceptor acceptor = new Acceptor();

    ConnectionGuards(RendezvousConfig config, ObjectMapper json, ExchangeEvents events) {
        if (config.headerTimeout().isNegative()
                || config.headerTimeout().isZero()
                || config.keepAliveTimeout().isNegative()
                || config.keepAliveTimeout().isZero()) {
            throw new IllegalArgumentException(
                    "rendezvous.header-timeout and rendezvous.keep-alive-timeout must be positive");
        }
        this.settings = new GuardSettings(
                new EdgeAnswers(json, events),
                config.headerTimeout().toNanos(),
                config.keepAliveTimeout().toNanos(),
                loop -> sweeps.computeIfAbsent(loop, DeadlineSweep::new));
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setHttp2ClearTextEnabled(false);
    }

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::guardListener);
    }

    /** Sends the first request itself, so that no connection accepted after startup goes unguarded. */
    void guardFromTheStart(@ObservesAsync HttpServerStart started, Vertx vertx, ValueRegistry values) {
        String host = started.options().getHost();
        String target = "0.0.0.0".equals(host) || "::".equals(host) ? "127.0.0.1" : host;
        NetClient client = vertx.createNetClient();
        client.connect(values.get(HttpServer.HTTP_PORT), target)
                .onSuccess(socket -> {
                    socket.handler(ignored -> {});
                    socket.closeHandler(closed -> client.close());
                    socket.write("HEAD / HTTP/1.1\r\nHost: " + target + "\r\nConnection: close\r\n\r\n");
                })
                .onFailure(failure -> {
                    client.close();
                    LOG.warnf("Connections are guarded from the first request on: %s", failure.getMessage());
                });
    }

    private void guardListener(RoutingContext context) {
        Channel listener = channel(context.request().connection()).parent();
        if (listener != null && !guarded.contains(listener) && guarded.add(listener)) {
            // A live reload in dev mode keeps the listening socket: this bean's acceptor replaces the last one.
            ChannelPipeline pipeline = listener.pipeline();
            if (pipeline.get(ACCEPTOR) != null) {
                pipeline.replace(ACCEPTOR, ACCEPTOR, acceptor);
            } else {
                pipeline.addFirst(ACCEPTOR, acceptor);
            }
        }
        context.next();
    }

    /**
     * The one reach below Vert.x's API: Netty's channel under an HTTP connection (the edge tests
     * fail on a Vert.x version that changes it).
     */
    private static Channel channel(HttpConnection connection) {
        return ((ConnectionBase) connection).channel();
    }

    @PreDestroy
    void stopSweeps() {
        sweeps.values().forEach(DeadlineSweep::stop);
    }

    /** On a listening socket: gives each accepted connection a placer before Vert.x sets it up. */
    @ChannelHandler.Sharable
    private final class Acceptor extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (message instanceof Channel accepted) {
                accepted.pipeline().addFirst(GuardPlacer.NAME, new GuardPlacer(settings));
            }
            ctx.fireChannelRead(message);
        }
    }
}
