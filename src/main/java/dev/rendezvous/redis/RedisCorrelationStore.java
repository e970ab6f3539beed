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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The state of record in Redis, shared by any number of replicas: one hash per correlation that
 * expires with it, and Lua scripts for every change, so that exactly one outcome wins. A settled
 * correlation's ID is published on its bucket's sharded channel ({@link RedisKeys}), which wakes the
 * waiters of every replica.
 */
@ApplicationScoped
@Identifier("redis")
public class RedisCorrelationStore implements CorrelationStore, SharedReads {

    private static final Logger LOG = Logger.getLogger(RedisCorrelationStore.class);
    private static final Duration MIN_CONSUMED_GRACE = Duration.ofSeconds(10);

    private final RedisCommands commands;
    private final RedisKeys keys;
    private final OwnerQuota quota;
    private final Duration resultRetention;
    private final Duration consumedGrace;
    private final WakeUpLog wakeUps = new WakeUpLog();

    RedisCorrelationStore(
            Instance<Redis> client,
            RendezvousConfig config,
            Vertx vertx,
            @ConfigProperty(name = "quarkus.redis.max-pool-size", defaultValue = "6") int poolSize,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        this.keys = new RedisKeys(config.redis().keyPrefix());
        LaneMark mark =
                "cluster".equalsIgnoreCase(clientType) ? LaneMark.channels(keys.settledChannels()) : LaneMark.SESSION;
        this.commands = new RedisCommands(new RedisLanes(client::get, vertx, poolSize, mark), config.redis());
        this.quota = new OwnerQuota(commands, keys, config.maxCorrelationsPerKey());
        this.resultRetention = config.resultRetention();
        // Long enough for a wake-up that travels by recheck rather than pub/sub.
        Duration threeRechecks = config.redis().recheckInterval().multipliedBy(3);
        this.consumedGrace = threeRechecks.compareTo(MIN_CONSUMED_GRACE) > 0 ? threeRechecks : MIN_CONSUMED_GRACE;
    }

    /** The sharded channels on which the IDs of settled correlations are published, one per bucket. */
    List<String> channels() {
        return keys.settledChannels();
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
        Uni<Boolean> created = correlation.owner() == null
                ? insert(correlation)
                : quota.reserve(correlation)
                        .chain(listed -> insert(correlation)
                                .call(inserted -> inserted || !listed
                                        ? Uni.createFrom().voidItem()
                                        : quota.release(correlation)));
        return created.map(inserted -> {
            if (!inserted) {
                throw Rejection.ID_TAKEN.exception();
            }
            return correlation;
        });
    }

    private Uni<Boolean> insert(Correlation correlation) {
        return change(
                        RedisScripts.CREATE,
                        key(correlation.id()),
                        correlation.createdAt().toEpochMilli(),
                        correlation.expiresAt().toEpochMilli(),
                        correlation.ttl().toMillis(),
                        correlation.tokenHash().value(),
                        RedisCodec.optional(correlation.owner()),
                        correlation.requiresSignature() ? correlation.signingKey() : new byte[0])
                .map(created -> created.toInteger() == 1);
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
     * One script per bucket of IDs (a bucket is one cluster slot): Redis compares each state and
     * incarnation itself and answers only the positions of those that changed, so a round over
     * thousands of quiet long-polls moves and decodes next to nothing.
     */
    @Override
    public Uni<List<String>> changed(List<String> ids, List<Instant> incarnations, Instant now) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Map<Integer, List<Integer>> byBucket = new TreeMap<>();
        for (int i = 0; i < ids.size(); i++) {
            byBucket.computeIfAbsent(RedisKeys.bucket(ids.get(i)), bucket -> new ArrayList<>())
                    .add(i);
        }
        List<Uni<List<Integer>>> rounds = new ArrayList<>(byBucket.size());
        byBucket.values().forEach(positions -> rounds.add(changed(positions, ids, incarnations, now)));
        return Uni.join()
                .all(rounds)
                .andFailFast()
                .map(changed -> changed.stream()
                        .flatMap(List::stream)
                        .sorted()
                        .map(ids::get)
                        .toList());
    }

    /** The positions in {@code ids} of those among {@code positions} (all of one bucket) that changed. */
    private Uni<List<Integer>> changed(
            List<Integer> positions, List<String> ids, List<Instant> incarnations, Instant now) {
        // Written straight into the request: a round over thousands of waiters would otherwise make a
        // key string, a boxed number and a decimal string per waiter only to turn each into bytes.
        return run(RedisScripts.CHANGED, positions.size(), request -> {
                    for (int position : positions) {
                        request.arg(keys.correlationBytes(ids.get(position)));
                    }
                    request.arg(now.toEpochMilli());
                    for (int position : positions) {
                        request.arg(incarnations.get(position).toEpochMilli());
                    }
                })
                .map(answer -> {
                    List<Integer> changed = new ArrayList<>(answer.size());
                    for (int i = 0; i < answer.size(); i++) {
                        changed.add(positions.get(answer.get(i).toInteger() - 1));
                    }
                    return changed;
                });
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
            keys.settledChannel(id),
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
                        keys.settledChannel(id),
                        id)
                .map(answer -> RedisVerdicts.settlement(id, answer).correlation());
    }

    @Override
    public Uni<Settlement> cancel(String id, String owner, Instant now) {
        return change(
                        RedisScripts.CANCEL,
                        key(id),
                        now.toEpochMilli(),
                        keys.settledChannel(id),
                        id,
                        RedisCodec.optional(owner))
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
        return keys.correlation(id);
    }

    private static Correlation live(Correlation correlation, Instant now) {
        return correlation == null || correlation.isExpiredAt(now) ? null : correlation;
    }

    /** A script that changes state: acknowledged once replicas have it when replica-acks asks for that. */
    private Uni<Response> change(RedisScripts.Script script, String key, Object... arguments) {
        return commands.change(script, new String[] {key}, arguments);
    }

    private Uni<Response> run(RedisScripts.Script script, int keyCount, Consumer<Request> keysAndArguments) {
        return commands.run(script, keyCount, keysAndArguments);
    }

    private Uni<Response> send(Request request) {
        return commands.send(request);
    }
}
