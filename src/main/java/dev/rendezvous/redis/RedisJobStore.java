package dev.rendezvous.redis;

import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.route.model.Job;
import dev.rendezvous.route.service.JobStore;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Jobs in Redis (see {@link RedisJobScripts}), shared by every replica: a submission taken by one can
 * be handed to a worker polling another, and a dispatch whose replica died is taken over once its
 * lease runs out. Enqueueing publishes the route's name on the {@code jobs} channel, which wakes the
 * waiting workers of every replica.
 */
@ApplicationScoped
@Identifier("redis")
public class RedisJobStore implements JobStore {

    private final Instance<RedisCorrelationStore> redis;
    private final String prefix;
    private final String channel;
    private final Map<String, Long> held = new ConcurrentHashMap<>();

    RedisJobStore(@Identifier("redis") Instance<RedisCorrelationStore> redis, RendezvousConfig config) {
        this.redis = redis;
        this.prefix = config.redis().keyPrefix();
        this.channel = config.redis().keyPrefix() + "jobs";
    }

    /** The channel on which the names of routes with newly due jobs are published. */
    String channel() {
        return channel;
    }

    @Override
    public Uni<Boolean> enqueue(Job job, int maxQueued, Instant now) {
        return change(
                        RedisJobScripts.ENQUEUE,
                        new String[] {job(job.id()), queue(job.route()), leases(job.route()), sequence()},
                        job.id(),
                        job.route(),
                        job.incarnation().toEpochMilli(),
                        job.body(),
                        RedisCodec.optional(job.contentType()),
                        job.token(),
                        job.baseUrl(),
                        job.deadline().toEpochMilli(),
                        job.lease() == null ? "" : job.lease().toMillis(),
                        maxQueued,
                        now.toEpochMilli(),
                        channel)
                .map(answer -> {
                    long count = answer.toLong();
                    if (count >= 0) {
                        held.put(job.route(), count);
                    }
                    return count >= 0;
                });
    }

    @Override
    public Uni<Job> claim(String route, Instant now, Instant leaseUntil) {
        return change(
                        RedisJobScripts.CLAIM,
                        new String[] {queue(route), leases(route)},
                        now.toEpochMilli(),
                        leaseUntil.toEpochMilli(),
                        prefix + "j:",
                        route)
                .map(RedisJobStore::decode);
    }

    @Override
    public Uni<Boolean> requeue(Job job, Instant dueAt, boolean refund) {
        String route = job.route();
        return change(
                        RedisJobScripts.REQUEUE,
                        new String[] {job(job.id()), queue(route), leases(route), sequence()},
                        job.id(),
                        job.attempt(),
                        dueAt.toEpochMilli(),
                        refund ? "1" : "0",
                        channel,
                        route)
                .map(answer -> answer.toInteger() == 1);
    }

    @Override
    public Uni<Void> remove(String id) {
        return change(RedisJobScripts.REMOVE, new String[] {job(id)}, id, prefix + "q:", prefix + "l:")
                .invoke(removed -> {
                    if (removed != null) {
                        held.put(removed.get(0).toString(), removed.get(1).toLong());
                    }
                })
                .replaceWithVoid();
    }

    @Override
    public Uni<Job> extendLease(String id, Instant now, Instant deadline) {
        return change(
                        RedisJobScripts.EXTEND,
                        new String[] {job(id)},
                        id,
                        now.toEpochMilli(),
                        deadline.toEpochMilli(),
                        prefix + "l:")
                .map(RedisJobStore::decode);
    }

    @Override
    public Uni<List<Job>> expireLeases(String route, Instant now, int maxAttempts) {
        return change(
                        RedisJobScripts.EXPIRE_LEASES,
                        new String[] {queue(route), leases(route), sequence()},
                        now.toEpochMilli(),
                        maxAttempts,
                        prefix + "j:",
                        channel,
                        route)
                .map(answer -> {
                    held.put(route, answer.get(0).toLong());
                    List<Job> ended = new ArrayList<>();
                    for (Response job : answer.get(1)) {
                        ended.add(decode(job));
                    }
                    return ended;
                });
    }

    @Override
    public long held(String route) {
        return held.getOrDefault(route, 0L);
    }

    private Uni<Response> change(RedisScripts.Script script, String[] keys, Object... arguments) {
        return redis.get().commands().change(script, keys, arguments);
    }

    private static Job decode(Response hash) {
        if (hash == null) {
            return null;
        }
        Map<String, byte[]> fields = RedisCodec.fields(hash);
        if (!fields.containsKey("id")) {
            return null;
        }
        String lease = text(fields, "ls");
        String leaseUntil = text(fields, "lu");
        return new Job(
                text(fields, "id"),
                text(fields, "r"),
                Instant.ofEpochMilli(Long.parseLong(text(fields, "ca"))),
                fields.get("b"),
                RedisCodec.optionalText(fields, "ct"),
                text(fields, "tk"),
                text(fields, "base"),
                Instant.ofEpochMilli(Long.parseLong(text(fields, "dl"))),
                lease.isEmpty() ? null : Duration.ofMillis(Long.parseLong(lease)),
                Integer.parseInt(text(fields, "n")),
                leaseUntil.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(leaseUntil)));
    }

    private static String text(Map<String, byte[]> fields, String field) {
        byte[] value = fields.get(field);
        return value == null ? "" : new String(value, StandardCharsets.UTF_8);
    }

    private String job(String id) {
        return prefix + "j:" + id;
    }

    private String queue(String route) {
        return prefix + "q:" + route;
    }

    private String leases(String route) {
        return prefix + "l:" + route;
    }

    private String sequence() {
        return prefix + "jobseq";
    }
}
