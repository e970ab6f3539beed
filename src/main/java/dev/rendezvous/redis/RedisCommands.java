package dev.rendezvous.redis;

import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.model.RendezvousException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Sends the stores' commands and scripts on {@link RedisLanes}, and turns what fails into the
 * service's rejections: a Redis that does not answer, or is not ready to, takes the replica out of
 * rotation (readiness follows {@link #isAvailable}); any other error reply is one request's alone.
 * With {@code rendezvous.redis.replica-acks}, a state change is answered only once enough replicas
 * have it ({@link ReplicaAcks}).
 */
final class RedisCommands {

    private static final Logger LOG = Logger.getLogger(RedisCommands.class);

    private final RedisLanes lanes;
    private final Duration commandTimeout;
    private final ReplicaAcks acks;
    private volatile boolean available = true;

    /** @throws IllegalArgumentException when the replica acknowledgement settings cannot work */
    RedisCommands(RedisLanes lanes, RendezvousConfig.RedisStore settings) {
        this.lanes = lanes;
        this.commandTimeout = settings.commandTimeout();
        this.acks = new ReplicaAcks(settings);
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
        return run(script, keys.length, keysAndArguments(keys, arguments));
    }

    /** As above, with {@code keysAndArguments} adding the keys and arguments to the script's request. */
    Uni<Response> run(RedisScripts.Script script, int keyCount, Consumer<Request> keysAndArguments) {
        return script(script, keyCount, keysAndArguments, this::attempt);
    }

    /**
     * Runs a script that changes state, as {@link #run}; with replica acknowledgements on, answers
     * only once enough replicas have the change, and with a 503 when too few confirm it in time.
     */
    Uni<Response> change(RedisScripts.Script script, String[] keys, Object... arguments) {
        if (!acks.wanted()) {
            return run(script, keys, arguments);
        }
        return script(script, keys.length, keysAndArguments(keys, arguments), this::acknowledged);
    }

    Uni<Response> send(Request request) {
        return guarded(attempt(request));
    }

    /** A plain command that changes state, acknowledged as {@link #change(RedisScripts.Script, String[], Object...)} is. */
    Uni<Response> change(Request request) {
        return guarded(acks.wanted() ? acknowledged(request) : attempt(request));
    }

    private Uni<Response> script(
            RedisScripts.Script script,
            int keyCount,
            Consumer<Request> keysAndArguments,
            Function<Request, Uni<Response>> sending) {
        return guarded(sending.apply(filled(script.evalsha(keyCount), keysAndArguments))
                .onFailure(RedisCommands::isMissingScript)
                .recoverWithUni(() -> sending.apply(filled(script.eval(keyCount), keysAndArguments))));
    }

    private Uni<Response> attempt(Request request) {
        return answered(lanes.send(request, commandTimeout));
    }

    /**
     * The change and its {@code WAIT} as one batch on a pooled connection: {@code WAIT} counts the
     * replicas that have every write of its own connection, and holds that connection until they
     * confirm, so it cannot go on a lane, which carries every request of its event loop. The cluster
     * client sends a batch to the primary of its keyed commands, so the {@code WAIT} reaches the node
     * that made the change.
     */
    private Uni<Response> acknowledged(Request change) {
        return answered(lanes.client()
                        .batch(List.of(change, acks.request()))
                        .ifNoItem()
                        .after(commandTimeout)
                        .fail())
                .map(acks::confirmed);
    }

    private static Request filled(Request request, Consumer<Request> keysAndArguments) {
        keysAndArguments.accept(request);
        return request;
    }

    private static Consumer<Request> keysAndArguments(String[] keys, Object... arguments) {
        return request -> {
            for (String key : keys) {
                request.arg(key);
            }
            withArguments(request, arguments);
        };
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
     * the replica out of rotation, logged once until it answers again; any other error reply is this
     * request's alone.
     */
    private RendezvousException unavailable(Throwable failure) {
        switch (RedisFailure.of(failure)) {
            case OUT_OF_MEMORY -> {
                LOG.warnf("Redis refused a write: %s", failure.getMessage());
                return Rejection.STORE_FULL.because("Redis is out of memory; try again once results expire.");
            }
            case UNAVAILABLE -> {
                if (available) {
                    LOG.warnf("Redis is unavailable, so readiness is DOWN until it answers: %s", failure.toString());
                }
                available = false;
            }
            default -> LOG.errorf("Redis refused a command: %s", failure.getMessage());
        }
        return Rejection.STORE_UNAVAILABLE.exception();
    }

    private static boolean isMissingScript(Throwable failure) {
        return RedisFailure.of(failure) == RedisFailure.MISSING_SCRIPT;
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
