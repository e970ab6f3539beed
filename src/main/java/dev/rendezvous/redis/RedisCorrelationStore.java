package dev.rendezvous.redis;

import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.correlation.model.CallbackToken;
import dev.rendezvous.correlation.model.Correlation;
import dev.rendezvous.correlation.model.Outcome;
import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.model.RendezvousException;
import dev.rendezvous.correlation.service.CorrelationStore;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The state of record in Redis, shared by any number of replicas: one hash per correlation that
 * expires with it, and Lua scripts for every change, so that exactly one outcome wins. A settled
 * correlation's ID is published on one channel, which wakes the waiters of every replica.
 */
@ApplicationScoped
@Identifier("redis")
public class RedisCorrelationStore implements CorrelationStore, SharedReads {

    private static final Logger LOG = Logger.getLogger(RedisCorrelationStore.class);
    private static final Duration MIN_CONSUMED_GRACE = Duration.ofSeconds(10);

    private final RedisLanes lanes;
    private final String keyPrefix;
    private final byte[] keyPrefixBytes;
    private final String ownerPrefix;
    private final int maxPerOwner;
    private final String channel;
    private final Duration commandTimeout;
    private final Duration resultRetention;
    private final Duration consumedGrace;
    private final WakeUpLog wakeUps = new WakeUpLog();
    private volatile boolean available = true;

    RedisCorrelationStore(
            Instance<Redis> client,
            RendezvousConfig config,
            Vertx vertx,
            @ConfigProperty(name = "quarkus.redis.max-pool-size", defaultValue = "6") int poolSize) {
        this.lanes = new RedisLanes(client::get, vertx, poolSize);
        this.keyPrefix = config.redis().keyPrefix() + "c:";
        this.keyPrefixBytes = keyPrefix.getBytes(StandardCharsets.UTF_8);
        this.ownerPrefix = config.redis().keyPrefix() + "o:";
        this.maxPerOwner = config.maxCorrelationsPerKey();
        this.channel = config.redis().keyPrefix() + "settled";
        this.commandTimeout = config.redis().commandTimeout();
        this.resultRetention = config.resultRetention();
        // Long enough for a wake-up that travels by recheck rather than pub/sub.
        Duration threeRechecks = config.redis().recheckInterval().multipliedBy(3);
        this.consumedGrace = threeRechecks.compareTo(MIN_CONSUMED_GRACE) > 0 ? threeRechecks : MIN_CONSUMED_GRACE;
    }

    /** The channel on which the IDs of settled correlations are published. */
    String channel() {
        return channel;
    }

    /** The subscription's log of wake-ups, kept by {@link RedisSupervisor}. */
    WakeUpLog wakeUps() {
        return wakeUps;
    }

    @Override
    public long changeMark() {
        return wakeUps.mark();
    }

    @Override
    public boolean mayHaveChangedSince(long mark, String id) {
        return wakeUps.mayHaveHeard(mark, id);
    }

    @Override
    public Uni<Correlation> create(Correlation correlation, Instant now) {
        return run(
                        RedisScripts.CREATE,
                        new String[] {key(correlation.id()), ownerKey(correlation.owner())},
                        correlation.createdAt().toEpochMilli(),
                        correlation.expiresAt().toEpochMilli(),
                        correlation.ttl().toMillis(),
                        correlation.tokenHash().value(),
                        RedisCodec.optional(correlation.owner()),
                        correlation.requiresSignature() ? correlation.signingKey() : new byte[0],
                        maxPerOwner,
                        correlation.id())
                .map(created -> {
                    if (created.toInteger() < 0) {
                        throw Rejection.TOO_MANY_FOR_KEY.because(
                                "This API key holds " + maxPerOwner + " correlations.");
                    }
                    if (created.toInteger() == 0) {
                        throw Rejection.ID_TAKEN.exception();
                    }
                    return correlation;
                });
    }

    @Override
    public Uni<Correlation> find(String id, Instant now) {
        return read(id, now, false);
    }

    @Override
    public Uni<Correlation> findSettled(String id, Instant now) {
        return read(id, now, true);
    }

    /**
     * One script for the whole batch: Redis compares each state and incarnation itself and answers
     * only the positions of those that changed, so a round over thousands of quiet long-polls moves
     * and decodes next to nothing.
     */
    @Override
    public Uni<List<String>> changed(List<String> ids, List<Instant> incarnations, Instant now) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        // Written straight into the request: a round over thousands of waiters would otherwise make a
        // key string, a boxed number and a decimal string per waiter only to turn each into bytes.
        return run(RedisScripts.CHANGED, ids.size(), request -> {
                    for (String id : ids) {
                        request.arg(keyBytes(id));
                    }
                    request.arg(now.toEpochMilli());
                    for (Instant incarnation : incarnations) {
                        request.arg(incarnation.toEpochMilli());
                    }
                })
                .map(positions -> {
                    List<String> changed = new ArrayList<>(positions.size());
                    for (int i = 0; i < positions.size(); i++) {
                        changed.add(ids.get(positions.get(i).toInteger() - 1));
                    }
                    return changed;
                });
    }

    /** What a wake-up announced, as {@link #findSettled} would read it at {@code now}. */
    Correlation announced(String id, Map<String, byte[]> fields, Instant now) {
        return live(RedisCodec.decode(id, fields, true), now);
    }

    private Uni<Correlation> read(String id, Instant now, boolean evenConsumed) {
        return send(Request.cmd(Command.HGETALL).arg(key(id)))
                .map(hash -> live(RedisCodec.decode(id, RedisCodec.fields(hash), evenConsumed), now));
    }

    @Override
    public Uni<Settlement> settle(String id, CallbackToken.Hash token, Outcome outcome, String messageId, Instant now) {
        Object[] common = {
            token.value(),
            now.toEpochMilli(),
            now.plus(resultRetention).toEpochMilli(),
            channel,
            id,
            RedisCodec.optional(messageId)
        };
        Object[] specific = outcome instanceof Outcome.Result result
                ? new Object[] {"r", result.body(), RedisCodec.optional(result.contentType())}
                : failureArguments((Outcome.Failure) outcome);
        Object[] arguments = new Object[common.length + specific.length];
        System.arraycopy(common, 0, arguments, 0, common.length);
        System.arraycopy(specific, 0, arguments, common.length, specific.length);
        byte[] body = outcome instanceof Outcome.Result result ? result.body() : null;
        return run(RedisScripts.SETTLE, key(id), arguments).map(answer -> settled(id, answer, body));
    }

    @Override
    public Uni<Correlation> heartbeat(
            String id, CallbackToken.Hash token, Duration extension, String detailsJson, boolean signed, Instant now) {
        return run(
                        RedisScripts.HEARTBEAT,
                        key(id),
                        token.value(),
                        now.toEpochMilli(),
                        extension == null ? "" : extension.toMillis(),
                        RedisCodec.optional(detailsJson),
                        signed ? "1" : "0",
                        channel,
                        id)
                .map(answer -> settlement(id, answer).correlation());
    }

    @Override
    public Uni<Settlement> cancel(String id, String owner, Instant now) {
        return run(RedisScripts.CANCEL, key(id), now.toEpochMilli(), channel, id, RedisCodec.optional(owner))
                .map(answer -> settlement(id, answer));
    }

    @Override
    public Uni<Boolean> consume(Correlation completed, String owner, Instant now) {
        return run(
                        RedisScripts.CONSUME,
                        key(completed.id()),
                        consumedGrace.toMillis(),
                        RedisCodec.optional(owner),
                        completed.createdAt().toEpochMilli())
                .map(took -> took.toInteger() == 1);
    }

    /** Redis expires the data itself; local waiters of expired correlations are rechecked instead. */
    @Override
    public Uni<List<String>> pruneExpired(Instant now) {
        return Uni.createFrom().item(List.of());
    }

    @Override
    public Usage usage() {
        return Usage.shared("redis", available);
    }

    /** Checks that Redis answers, for readiness while no request does it. */
    Uni<Void> ping() {
        return send(Request.cmd(Command.PING)).replaceWithVoid();
    }

    Redis client() {
        return lanes.client();
    }

    private String key(String id) {
        return keyPrefix + id;
    }

    /** {@link #key} as the bytes sent to Redis, without the string; IDs are ASCII (see {@code CorrelationIds}). */
    private byte[] keyBytes(String id) {
        byte[] key = Arrays.copyOf(keyPrefixBytes, keyPrefixBytes.length + id.length());
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c > 0x7F) {
                return key(id).getBytes(StandardCharsets.UTF_8);
            }
            key[keyPrefixBytes.length + i] = (byte) c;
        }
        return key;
    }

    /** The index of what an API key holds; without keys, a name no script touches. */
    private String ownerKey(String owner) {
        return ownerPrefix + (owner == null ? "-" : owner);
    }

    private static Correlation live(Correlation correlation, Instant now) {
        return correlation == null || correlation.isExpiredAt(now) ? null : correlation;
    }

    private static Object[] failureArguments(Outcome.Failure failure) {
        return new Object[] {
            "f", failure.status(), RedisCodec.optional(failure.title()), RedisCodec.optional(failure.detail())
        };
    }

    /** Turns a script's verdict into a settlement, or into the rejection it stands for. */
    private static Settlement settlement(String id, Response answer) {
        String verdict = answer.get(0).toString();
        return switch (verdict) {
            case "settled", "ok" -> new Settlement(RedisCodec.decode(id, RedisCodec.fields(answer.get(1))), true);
            case "repeat" -> new Settlement(RedisCodec.decode(id, RedisCodec.fields(answer.get(1))), false);
            case "missing" -> throw Rejection.NOT_FOUND.exception();
            case "unauthorized" -> throw Rejection.UNAUTHORIZED.exception();
            case "cancelled" -> throw Rejection.CANCELLED.exception();
            case "unsigned" -> throw Rejection.UNSIGNED.exception();
            case "conflict" -> throw conflict(answer.get(1).toString());
            default -> throw new IllegalStateException("Unexpected script answer " + verdict);
        };
    }

    /**
     * As {@link #settlement}, for {@link RedisScripts#SETTLE}: it answers a success as the values of
     * {@link RedisScripts#SETTLED_FIELDS}, without the {@code body} just stored.
     */
    private static Settlement settled(String id, Response answer, byte[] body) {
        if (!answer.get(0).toString().equals("settled")) {
            return settlement(id, answer);
        }
        Map<String, byte[]> fields = RedisCodec.fields(RedisScripts.SETTLED_FIELDS, answer.get(1));
        if (body != null) {
            fields.put("b", body);
        }
        return new Settlement(RedisCodec.decode(id, fields), true);
    }

    private static RendezvousException conflict(String state) {
        return state.equals("pending")
                ? Rejection.NOT_PENDING.because("This correlation is still pending.")
                : Rejection.ALREADY_SETTLED.because("This correlation is already " + state + ".");
    }

    private Uni<Response> run(RedisScripts.Script script, String key, Object... arguments) {
        return run(script, new String[] {key}, arguments);
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
    private Uni<Response> run(RedisScripts.Script script, int keyCount, Consumer<Request> keysAndArguments) {
        return guarded(attempt(filled(script.evalsha(keyCount), keysAndArguments))
                .onFailure(RedisCorrelationStore::isMissingScript)
                .recoverWithUni(() -> attempt(filled(script.eval(keyCount), keysAndArguments))));
    }

    private static Request filled(Request request, Consumer<Request> keysAndArguments) {
        keysAndArguments.accept(request);
        return request;
    }

    private Uni<Response> send(Request request) {
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

    /** Error replies of a Redis that is starting, failing over or busy with a script. */
    /** An error reply of Redis (the client fails a command with it), as opposed to no answer at all. */
    private static boolean isErrorReply(Throwable failure) {
        return failure instanceof io.vertx.redis.client.Response reply && reply.type() == ResponseType.ERROR;
    }

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
