package dev.rendezvous.redis;

import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.correlation.model.CallbackToken;
import dev.rendezvous.correlation.model.Correlation;
import dev.rendezvous.correlation.model.Outcome;
import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.service.CorrelationStore;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
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

    private final RedisCommands commands;
    private final String keyPrefix;
    private final byte[] keyPrefixBytes;
    private final String ownerPrefix;
    private final int maxPerOwner;
    private final String channel;
    private final Duration resultRetention;
    private final Duration consumedGrace;
    private final WakeUpLog wakeUps = new WakeUpLog();

    RedisCorrelationStore(
            Instance<Redis> client,
            RendezvousConfig config,
            Vertx vertx,
            @ConfigProperty(name = "quarkus.redis.max-pool-size", defaultValue = "6") int poolSize) {
        this.commands = new RedisCommands(new RedisLanes(client::get, vertx, poolSize), config.redis());
        this.keyPrefix = config.redis().keyPrefix() + "c:";
        this.keyPrefixBytes = keyPrefix.getBytes(StandardCharsets.UTF_8);
        this.ownerPrefix = config.redis().keyPrefix() + "o:";
        this.maxPerOwner = config.maxCorrelationsPerKey();
        this.channel = config.redis().keyPrefix() + "settled";
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
        return change(
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
        return read(id, now, RedisCodec::decode);
    }

    @Override
    public Uni<Correlation> findSettled(String id, Instant now) {
        return read(id, now, RedisCodec::decodeSettled);
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
        return live(RedisCodec.decodeSettled(id, fields), now);
    }

    private Uni<Correlation> read(
            String id, Instant now, BiFunction<String, Map<String, byte[]>, Correlation> decoder) {
        return send(Request.cmd(Command.HGETALL).arg(key(id)))
                .map(hash -> live(decoder.apply(id, RedisCodec.fields(hash)), now));
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
                : RedisVerdicts.failureArguments((Outcome.Failure) outcome);
        Object[] arguments = new Object[common.length + specific.length];
        System.arraycopy(common, 0, arguments, 0, common.length);
        System.arraycopy(specific, 0, arguments, common.length, specific.length);
        byte[] body = outcome instanceof Outcome.Result result ? result.body() : null;
        return change(RedisScripts.SETTLE, key(id), arguments).map(answer -> RedisVerdicts.settled(id, answer, body));
    }

    @Override
    public Uni<Correlation> heartbeat(
            String id, CallbackToken.Hash token, Duration extension, String detailsJson, boolean signed, Instant now) {
        return change(
                        RedisScripts.HEARTBEAT,
                        key(id),
                        token.value(),
                        now.toEpochMilli(),
                        extension == null ? "" : extension.toMillis(),
                        RedisCodec.optional(detailsJson),
                        signed ? "1" : "0",
                        channel,
                        id)
                .map(answer -> RedisVerdicts.settlement(id, answer).correlation());
    }

    @Override
    public Uni<Settlement> cancel(String id, String owner, Instant now) {
        return change(RedisScripts.CANCEL, key(id), now.toEpochMilli(), channel, id, RedisCodec.optional(owner))
                .map(answer -> RedisVerdicts.settlement(id, answer));
    }

    @Override
    public Uni<Boolean> consume(Correlation completed, String owner, Instant now) {
        return change(
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
        return Usage.shared("redis", commands.isAvailable());
    }

    /** Checks that Redis answers, for readiness while no request does it. */
    Uni<Void> ping() {
        return send(Request.cmd(Command.PING)).replaceWithVoid();
    }

    RedisCommands commands() {
        return commands;
    }

    Redis client() {
        return commands.client();
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

    private Uni<Response> change(RedisScripts.Script script, String key, Object... arguments) {
        return commands.change(script, new String[] {key}, arguments);
    }

    private Uni<Response> change(RedisScripts.Script script, String[] keys, Object... arguments) {
        return commands.change(script, keys, arguments);
    }

    private Uni<Response> run(RedisScripts.Script script, int keyCount, Consumer<Request> keysAndArguments) {
        return commands.run(script, keyCount, keysAndArguments);
    }

    private Uni<Response> send(Request request) {
        return commands.send(request);
    }
}
