package dev.rendezvous.redis;

import io.netty.util.concurrent.EventExecutor;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Long-lived pipelined connections to Redis, one per event loop. A pooled connection carries one
 * command at a time, so every command paid a pool hand-off, a write and a read of its own; on a lane
 * the commands of all requests on that event loop go out back to back, their replies arrive in
 * shared reads, and each reply is handed back to the event loop that sent the command. Lanes are
 * leases of the client's pool, so at most half the pool becomes lanes; commands from other threads
 * (scheduled jobs, startup) and from event loops beyond that use the pool. A lane whose connection
 * fails, closes or lets a command time out is dropped; the next command on its event loop opens a
 * new one.
 *
 * <p>A dropped lane's connection must be closed, never handed back to the pool: one that stopped
 * answering would hang the next command given it. The client's {@code close()} returns a lease to
 * the pool unless the connection changed its session state (a {@code SELECT}, {@code AUTH} or
 * subscription was sent on it), in which case it closes the socket instead. So each lane marks its
 * connection when it opens it, in a way that changes nothing in Redis ({@link LaneMark}). Where
 * Redis refuses the mark (an ACL without the commands it sends), lanes are off: every command uses
 * the pool (docs/redis.md).
 */
final class RedisLanes {

    private static final Logger LOG = Logger.getLogger(RedisLanes.class);

    private final Supplier<Redis> clients;
    private final Vertx vertx;
    private final int maxLanes;
    private final LaneMark mark;
    private final Map<Thread, Lane> lanes = new ConcurrentHashMap<>();
    private volatile Redis client;
    private volatile boolean refused;

    /**
     * {@code clients} is asked once, on first use: in memory mode no Redis client is ever made.
     * {@code poolSize}: the client's pool size, of which lanes take at most half. {@code mark}: how a
     * lane marks its new connection as never to be pooled again.
     */
    RedisLanes(Supplier<Redis> clients, Vertx vertx, int poolSize, LaneMark mark) {
        this.clients = clients;
        this.vertx = vertx;
        this.maxLanes = Math.max(1, poolSize / 2);
        this.mark = mark;
    }

    Redis client() {
        Redis known = client;
        if (known == null) {
            known = clients.get();
            client = known;
        }
        return known;
    }

    Uni<Response> send(Request request, Duration timeout) {
        return command(pool -> pool.send(request), connection -> connection.send(request), timeout);
    }

    /**
     * Sends on the caller's lane, or through the pool where it has none, bounded by {@code timeout}.
     * A command that times out or fails without Redis's answer leaves its lane suspect (a connection
     * that hangs without closing would fail every later command too), so the lane is dropped and the
     * next command opens a new connection.
     */
    private <T> Uni<T> command(
            Function<Redis, Uni<T>> onPool, Function<RedisConnection, Uni<T>> onLane, Duration timeout) {
        Lane lane = lane();
        if (lane == null) {
            return onPool.apply(client()).ifNoItem().after(timeout).fail();
        }
        return lane.connection
                .chain(connection -> onLane.apply(connection))
                .ifNoItem()
                .after(timeout)
                .on(lane.eventLoop)
                .fail()
                .onFailure(failure -> !isErrorReply(failure))
                .invoke(() -> drop(lane))
                .onFailure(MarkRefused.class)
                .recoverWithUni(
                        () -> onPool.apply(client()).ifNoItem().after(timeout).fail());
    }

    /**
     * Anything but Redis's own error reply leaves a lane suspect: a timeout, or a connection closed
     * (in a cluster, one the cluster connection opened after a redirect, which no handler watches).
     */
    private static boolean isErrorReply(Throwable failure) {
        return failure instanceof io.vertx.redis.client.Response reply && reply.type() == ResponseType.ERROR;
    }

    /** The lane of the calling event loop, opened on first use; null off the event loops. */
    private Lane lane() {
        Context context = io.vertx.core.Vertx.currentContext();
        if (refused || context == null || !context.isEventLoopContext()) {
            return null;
        }
        Thread thread = Thread.currentThread();
        Lane lane = lanes.get(thread);
        if (lane == null) {
            if (lanes.size() >= maxLanes) {
                return null;
            }
            lane = open(thread);
            lanes.put(thread, lane);
        }
        return lane;
    }

    private Lane open(Thread thread) {
        Lane lane = new Lane(thread, currentEventLoop());
        lane.connection = client().connect()
                .chain(connection -> {
                    connection.exceptionHandler(failure -> drop(lane));
                    connection.endHandler(() -> drop(lane));
                    // The lane takes the connection only once marked: closed before the client has
                    // sent the mark, it would go back to the pool, the mark still to be written on
                    // it. A lane dropped meanwhile leaves the connection to the mark's outcome.
                    return mark.apply(connection).map(marked -> {
                        if (!marked) {
                            connection.closeAndForget();
                            refuse();
                            throw new MarkRefused();
                        }
                        if (!lane.open(connection)) {
                            // Arrived after its lane was given up (slower than a command's timeout).
                            connection.closeAndForget();
                            throw new IllegalStateException("Redis connection arrived after its lane was dropped");
                        }
                        return connection;
                    });
                })
                .onFailure()
                .invoke(() -> drop(lane))
                .memoize()
                .indefinitely();
        return lane;
    }

    private void refuse() {
        if (!refused) {
            refused = true;
            LOG.warn("Redis refused the commands that mark a lane's connection as never to be pooled again:"
                    + " commands use the pool alone (docs/redis.md)");
        }
    }

    private void drop(Lane lane) {
        lanes.remove(lane.thread, lane);
        RedisConnection opened = lane.drop();
        if (opened != null) {
            // Marked when opened, so the client closes it rather than pool it.
            opened.closeAndForget();
        }
    }

    /** The Netty event loop running the caller, so that timeouts are set on it rather than on another thread. */
    private ScheduledExecutorService currentEventLoop() {
        for (EventExecutor executor : vertx.getDelegate().nettyEventLoopGroup()) {
            if (executor.inEventLoop()) {
                return executor;
            }
        }
        throw new IllegalStateException("not on a Vert.x event loop");
    }

    /** Redis refused the mark that keeps a lane's connection out of the pool: lanes are off. */
    private static final class MarkRefused extends RuntimeException {
        MarkRefused() {
            super("Redis refused the commands that open a lane", null, false, false);
        }
    }

    private static final class Lane {
        final Thread thread;
        final ScheduledExecutorService eventLoop;
        Uni<RedisConnection> connection;
        private RedisConnection opened;
        private boolean dropped;

        Lane(Thread thread, ScheduledExecutorService eventLoop) {
            this.thread = thread;
            this.eventLoop = eventLoop;
        }

        /** Takes {@code connection} for this lane; false if the lane was dropped meanwhile. */
        synchronized boolean open(RedisConnection connection) {
            if (dropped) {
                return false;
            }
            opened = connection;
            return true;
        }

        /** Gives the lane up; returns its connection, once, for closing. */
        synchronized RedisConnection drop() {
            dropped = true;
            RedisConnection connection = opened;
            opened = null;
            return connection;
        }
    }
}
