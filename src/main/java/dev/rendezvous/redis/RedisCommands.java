package dev.rendezvous.redis;

import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.model.RendezvousException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.time.Duration;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Sends the stores' commands and scripts on {@link RedisLanes}, and turns what fails into the
 * service's rejections: a Redis that does not answer, or is not ready to, takes the replica out of
 * rotation (readiness follows {@link #isAvailable}); any other error reply is one request's alone.
 */
final class RedisCommands {

    private static final Logger LOG = Logger.getLogger(RedisCommands.class);

    private final RedisLanes lanes;
    private final Duration commandTimeout;
    private volatile boolean available = true;

    RedisCommands(RedisLanes lanes, Duration commandTimeout) {
        this.lanes = lanes;
        this.commandTimeout = commandTimeout;
    }

    /** Whether the last command got an answer, of any kind. */
    boolean isAvailable() {
        return available;
    }

    Redis client() {
        return lanes.client();
    }

    /** Runs a script by its digest, sending its text only when Redis does not know it; failures become 503s. */
    Uni<Response> run(RedisScripts.Script script, String[] keys, Object... arguments) {
        return run(script, keys.length, request -> {
            for (String key : keys) {
                request.arg(key);
            }
            withArguments(request, arguments);
        });
    }

    /** As above, with {@code keysAndArguments} adding the keys and arguments to the script's request. */
    Uni<Response> run(RedisScripts.Script script, int keyCount, Consumer<Request> keysAndArguments) {
        return guarded(attempt(filled(script.evalsha(keyCount), keysAndArguments))
                .onFailure(RedisCommands::isMissingScript)
                .recoverWithUni(() -> attempt(filled(script.eval(keyCount), keysAndArguments))));
    }

    private static Request filled(Request request, Consumer<Request> keysAndArguments) {
        keysAndArguments.accept(request);
        return request;
    }

    Uni<Response> send(Request request) {
        return guarded(attempt(request));
    }

    private Uni<Response> attempt(Request request) {
        return answered(lanes.send(request, commandTimeout));
    }

    /** Any answer shows that Redis is reachable again. */
    private <T> Uni<T> answered(Uni<T> command) {
        return command.invoke(answer -> available = true);
    }

    /** Any failure but a rejection becomes a 503 (see {@link #unavailable}). */
    private <T> Uni<T> guarded(Uni<T> command) {
        return command.onFailure(failure -> !(failure instanceof RendezvousException))
                .transform(this::unavailable);
    }

    /**
     * Turns a failed command into a 503. Only a Redis that does not answer, or is not ready to, takes
     * the replica out of rotation; any other error reply is this request's alone.
     */
    private RendezvousException unavailable(Throwable failure) {
        if (isErrorReply(failure) && !isNotReady(failure)) {
            if (failure.getMessage() != null && failure.getMessage().startsWith("OOM")) {
                LOG.warnf("Redis refused a write: %s", failure.getMessage());
                return Rejection.STORE_FULL.because("Redis is out of memory; try again once results expire.");
            }
            LOG.errorf("Redis refused a command: %s", failure.getMessage());
            return Rejection.STORE_UNAVAILABLE.exception();
        }
        if (available) {
            LOG.warnf("Redis does not answer: %s", failure.toString());
        }
        available = false;
        return Rejection.STORE_UNAVAILABLE.exception();
    }

    /** An error reply of Redis (the client fails a command with it), as opposed to no answer at all. */
    private static boolean isErrorReply(Throwable failure) {
        return failure instanceof io.vertx.redis.client.Response reply && reply.type() == ResponseType.ERROR;
    }

    /** Error replies of a Redis that is starting, failing over or busy with a script. */
    private static boolean isNotReady(Throwable reply) {
        String message = reply.getMessage() == null ? "" : reply.getMessage();
        return message.startsWith("LOADING")
                || message.startsWith("BUSY")
                || message.startsWith("MASTERDOWN")
                || message.startsWith("TRYAGAIN")
                || message.startsWith("READONLY");
    }

    private static boolean isMissingScript(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT");
    }

    private static void withArguments(Request request, Object... arguments) {
        for (Object argument : arguments) {
            // Bytes and numbers as they are: a Buffer would copy the bytes twice, a string the number once.
            if (argument instanceof byte[] bytes) {
                request.arg(bytes);
            } else if (argument instanceof Long || argument instanceof Integer) {
                request.arg(((Number) argument).longValue());
            } else {
                request.arg(String.valueOf(argument));
            }
        }
    }
}
