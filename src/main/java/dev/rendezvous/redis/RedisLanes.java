package dev.rendezvous.redis;

import io.netty.util.concurrent.EventExecutor;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.impl.PooledRedisConnection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Long-lived pipelined connections to Redis, one per event loop. A pooled connection carries one
 * command at a time, so every command paid a pool hand-off, a write and a read of its own; on a lane
 * the commands of all requests on that event loop go out back to back, their replies arrive in
 * shared reads, and each reply is handed back to the event loop that sent the command. Lanes are
 * leases of the client's pool, so at most half the pool becomes lanes; commands from other threads
 * (scheduled jobs, startup) and from event loops beyond that use the pool. A lane whose connection
 * fails, closes or lets a command time out is dropped; the next command on its event loop opens a
 * new one.
 */
final class RedisLanes {

    private final Supplier<Redis> clients;
    private final Vertx vertx;
    private final int maxLanes;
    private final Map<Thread, Lane> lanes = new ConcurrentHashMap<>();
    private volatile Redis client;

    /**
     * {@code clients} is asked once, on first use: in memory mode no Redis client is ever made.
     * {@code poolSize}: the client's pool size, of which lanes take at most half.
     */
    RedisLanes(Supplier<Redis> clients, Vertx vertx, int poolSize) {
        this.clients = clients;
        this.vertx = vertx;
        this.maxLanes = Math.max(1, poolSize / 2);
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
     * A command that times out leaves its lane suspect (a connection that hangs without closing would
     * fail every later command too), so the lane is dropped and the next command opens a new connection.
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
                .onFailure(TimeoutException.class)
                .invoke(() -> drop(lane));
    }

    /** The lane of the calling event loop, opened on first use; null off the event loops. */
    private Lane lane() {
        Context context = io.vertx.core.Vertx.currentContext();
        if (context == null || !context.isEventLoopContext()) {
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
                .map(connection -> {
                    if (!lane.open(connection)) {
                        // Arrived after its lane was given up (a connect slower than a command's timeout).
                        discard(connection);
                        throw new IllegalStateException("Redis connection arrived after its lane was dropped");
                    }
                    connection.exceptionHandler(failure -> drop(lane));
                    connection.endHandler(() -> drop(lane));
                    return connection;
                })
                .onFailure()
                .invoke(() -> drop(lane))
                .memoize()
                .indefinitely();
        return lane;
    }

    private void drop(Lane lane) {
        lanes.remove(lane.thread, lane);
        RedisConnection opened = lane.drop();
        if (opened != null) {
            discard(opened);
        }
    }

    /** Closes for good: a pooled connection's {@code close()} would hand one that stopped answering to the pool. */
    private static void discard(RedisConnection connection) {
        if (connection.getDelegate() instanceof PooledRedisConnection pooled) {
            pooled.actual().forceClose();
        } else {
            connection.closeAndForget();
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
