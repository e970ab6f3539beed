package dev.rendezvous.redis;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * How a lane marks a new connection as one whose session state changed, so that the client's
 * {@code close()} closes it rather than hand it back to the pool (see {@link RedisLanes}). Answers
 * false when Redis refused the mark, and fails when the connection did; either way the connection
 * may be closed afterwards (the client marks it before writing).
 */
@FunctionalInterface
interface LaneMark extends Function<RedisConnection, Uni<Boolean>> {

    /**
     * One server: {@code MULTI}, {@code SELECT 0}, {@code DISCARD}, {@code PING}, back to back. Redis
     * queues the {@code SELECT} and discards it unrun, whatever database the connection uses; the
     * client saw a {@code SELECT} go out. The {@code PING} tells a refusal (an ACL without these
     * commands) from a failed connection.
     */
    LaneMark SESSION = connection -> replies(
            connection,
            List.of(
                    Request.cmd(Command.MULTI),
                    Request.cmd(Command.SELECT).arg(0),
                    Request.cmd(Command.DISCARD),
                    Request.cmd(Command.PING)));

    /**
     * A cluster: its connection holds one connection per node, sends each command to the node of its
     * key and refuses {@code MULTI}. A {@code SUNSUBSCRIBE} from a channel never subscribed changes
     * nothing in Redis, is sent to the node of the channel's slot and is a subscription command to
     * the client: one per bucket channel reaches, and marks, every primary that holds a bucket's slot
     * (buckets lie 64 slots apart, so any primary with a range of 64 slots or more). Replicas'
     * connections, which carry no command, and those the cluster connection opens after a redirect
     * stay unmarked: a lane is dropped on any failure that is not Redis's reply ({@link RedisLanes}). Redis
     * answers each with a push (RESP3, the client's default), which the client hands to the handler,
     * but only after taking the oldest command still waiting for a reply off its queue: that command
     * would never be answered. So the {@code PING} goes out only once every push is in (an error
     * reply to one counts too, as a refusal).
     */
    static LaneMark channels(List<String> channels) {
        return connection -> {
            AtomicInteger answered = new AtomicInteger();
            AtomicBoolean refused = new AtomicBoolean();
            AtomicBoolean failed = new AtomicBoolean();
            CompletableFuture<Void> allAnswered = new CompletableFuture<>();
            connection.handler(push -> {
                if (push.type() == ResponseType.ERROR) {
                    refused.set(isRefusal(push.toString()) || refused.get());
                    failed.set(!isRefusal(push.toString()) || failed.get());
                }
                if (answered.incrementAndGet() == channels.size()) {
                    allAnswered.complete(null);
                }
            });
            List<Uni<Response>> sent = new ArrayList<>(channels.size());
            channels.forEach(channel ->
                    sent.add(connection.send(Request.cmd(Command.SUNSUBSCRIBE).arg(channel))));
            return Uni.join()
                    .all(sent)
                    .andFailFast()
                    .chain(() -> Uni.createFrom().completionStage(allAnswered))
                    .chain(() -> replies(connection, List.of(Request.cmd(Command.PING))))
                    .map(pinged -> {
                        if (failed.get()) {
                            // Not ready (MOVED, CLUSTERDOWN, LOADING...): no lane now, another later.
                            connection.closeAndForget();
                            throw new IllegalStateException("Redis could not take a lane's mark yet");
                        }
                        return pinged && !refused.get();
                    });
        };
    }

    /**
     * Sends {@code requests}, the last a {@code PING}: false if an ACL refused any; fails if any failed
     * otherwise (a Redis not ready yet, a connection lost), so that the lane is opened again later
     * rather than turned off for good.
     */
    private static Uni<Boolean> replies(RedisConnection connection, List<Request> requests) {
        List<Uni<Boolean>> replies = requests.stream()
                .map(request -> connection
                        .send(request)
                        .replaceWith(Boolean.TRUE)
                        .onFailure(failure -> isRefusal(String.valueOf(failure.getMessage())))
                        .recoverWithItem(Boolean.FALSE))
                .toList();
        return Uni.join()
                .all(replies)
                .andFailFast()
                .onFailure()
                .invoke(connection::closeAndForget)
                .map(answered -> !answered.contains(Boolean.FALSE));
    }

    /** An ACL's refusal of a command: lasting, unlike a Redis that is not ready yet. */
    private static boolean isRefusal(String error) {
        return error.startsWith("NOPERM");
    }
}
