package dev.rendezvous.edge;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One HTTP/1.x connection's deadlines and head checks, between the HTTP codec and Vert.x. A
 * connection that is not waiting for an answer has a deadline: {@code header-timeout} while a
 * request head is due (from the connection's start, or from the first byte after an answer),
 * {@code keep-alive-timeout} while it sits idle between requests. A connection with a request in
 * progress (a held long-poll, an event stream) has none. A head the codec could not parse, or
 * that this service does not serve, is answered with a problem here, and the connection closed.
 * Everything runs on the connection's event loop.
 */
final class ConnectionGuard extends ChannelDuplexHandler {

    private static final Logger LOG = Logger.getLogger(ConnectionGuard.class);
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final GuardSettings settings;

    /** Request heads received and not yet answered in full. */
    private int inProgress;

    private boolean idleBetweenRequests;
    /** Set once the guard refused: the answer, owed until the requests pipelined before it are answered. */
    private Runnable owedAnswer;
    /** When the current deadline passes ({@link System#nanoTime()}); 0 for none. */
    private long dueAt;

    private ChannelHandlerContext context;
    private DeadlineSweep sweep;
    /** Neighbours in the sweep's list. */
    ConnectionGuard previous;

    ConnectionGuard next;

    ConnectionGuard(GuardSettings settings) {
        this.settings = settings;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
        sweep = settings.sweeps().apply(ctx.executor());
        sweep.add(this);
        arm(settings.headerNanos());
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        sweep.remove(this);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        sweep.remove(this);
        ctx.fireChannelInactive();
    }

    /** Bytes arrived on the connection: after an answer, the next head is now due. */
    void bytesArrived() {
        if (idleBetweenRequests) {
            idleBetweenRequests = false;
            arm(settings.headerNanos());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (owedAnswer != null) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (message instanceof HttpRequest head) {
            Refusal refusal = Refusal.of(head);
            if (refusal != null) {
                ReferenceCountUtil.release(message);
                refuse(refusal, head.decoderResult().isSuccess() ? path(head.uri()) : null);
                return;
            }
            inProgress++;
            idleBetweenRequests = false;
            disarm();
        }
        ctx.fireChannelRead(message);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
        boolean interim = message instanceof HttpResponse response
                && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        ctx.write(message, promise);
        if (!interim && message instanceof LastHttpContent && inProgress > 0 && --inProgress == 0) {
            answered();
        }
    }

    private void answered() {
        if (owedAnswer != null) {
            owedAnswer.run();
        } else {
            idleBetweenRequests = true;
            arm(settings.keepAliveNanos());
        }
    }

    /** Answers at once, or after the answers still owed to requests pipelined before this one. */
    private void refuse(Refusal refusal, String instance) {
        disarm();
        LOG.debugf(
                "%d %s from %s",
                refusal.status(), refusal.slug(), context.channel().remoteAddress());
        owedAnswer = () -> answerAndClose(refusal, instance);
        if (inProgress == 0) {
            owedAnswer.run();
        }
    }

    /**
     * Closes only the sending side at first and reads on for a moment, discarding: a client still
     * sending (a 200 KB header, say) would otherwise get a reset in place of the answer.
     */
    private void answerAndClose(Refusal refusal, String instance) {
        context.writeAndFlush(settings.answers().of(refusal, instance)).addListener(written -> {
            if (written.isSuccess() && context.channel() instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
                arm(LINGER_NANOS);
            } else {
                context.close();
            }
        });
    }

    /** Called by the sweep: acts on a deadline that has passed. */
    void check(long now) {
        if (dueAt != 0 && now - dueAt >= 0) {
            dueAt = 0;
            expire();
        }
    }

    private void expire() {
        if (owedAnswer != null) {
            context.close();
        } else if (idleBetweenRequests && stillSending()) {
            // The last answer is handed over but not yet sent in full to a slow reader: wait for it.
            arm(settings.keepAliveNanos());
        } else if (idleBetweenRequests) {
            LOG.debugf(
                    "Closing a connection idle for keep-alive-timeout: %s",
                    context.channel().remoteAddress());
            context.close();
        } else if (inProgress == 0) {
            refuse(Refusal.HEAD_TIMEOUT, null);
        }
    }

    private boolean stillSending() {
        ChannelOutboundBuffer unsent = context.channel().unsafe().outboundBuffer();
        return unsent != null && unsent.totalPendingWriteBytes() > 0;
    }

    /** The path of a request target, without a query string that may carry a callback token. */
    private static String path(String target) {
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    /** Sets the deadline {@code nanos} from now; a guard without deadlines ({@code nanos} 0) sets none. */
    private void arm(long nanos) {
        dueAt = nanos == 0 ? 0 : System.nanoTime() + nanos;
    }

    private void disarm() {
        dueAt = 0;
    }
}
