package dev.rendezvous.redis;

import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.route.model.Job;
import dev.rendezvous.route.service.JobStore;
import dev.rendezvous.route.service.Routes;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
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
 * lease runs out. Enqueueing publishes the route's name on the route's sharded channel, which wakes
 * the waiting workers of every replica. A job lives in its route's slot ({@link RedisKeys}), found from
 * its ID alone through a small key in the ID's bucket that names the route.
 */
@ApplicationScoped
@Identifier("redis")
public class RedisJobStore implements JobStore {

    private final Instance<RedisCorrelationStore> redis;
    private final RedisKeys keys;
    private final Routes routes;
    private final Map<String, Long> held = new ConcurrentHashMap<>();

    RedisJobStore(@Identifier("redis") Instance<RedisCorrelationStore> redis, RendezvousConfig config, Routes routes) {
        this.redis = redis;
        this.keys = new RedisKeys(config.redis().keyPrefix());
        this.routes = routes;
    }

    /** The sharded channels on which the names of routes with newly due jobs are published, one per route. */
    List<String> channels() {
        return routes.all().keySet().stream().map(keys::jobsChannel).toList();
    }

    @Override
    public Uni<Boolean> enqueue(Job job, int maxQueued, Instant now) {
        String route = job.route();
        Request routeOfJob = Request.cmd(Command.SET)
                .arg(keys.jobRoute(job.id()))
                .arg(route)
                .arg("PXAT")
                .arg(job.deadline().toEpochMilli());
        return redis.get()
                .commands()
                .change(routeOfJob)
                .chain(() -> change(
                        RedisJobScripts.ENQUEUE,
                        new String[] {
                            keys.job(route, job.id()), keys.queue(route), keys.leases(route), keys.sequence(route)
                        },
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
                        keys.jobsChannel(route)))
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
                        new String[] {keys.queue(route), keys.leases(route)},
                        now.toEpochMilli(),
                        leaseUntil.toEpochMilli(),
                        keys.jobs(route),
                        route)
                .map(RedisJobStore::decode);
    }

    @Override
    public Uni<Boolean> requeue(Job job, Instant dueAt, boolean refund) {
        String route = job.route();
        return change(
                        RedisJobScripts.REQUEUE,
                        new String[] {
                            keys.job(route, job.id()), keys.queue(route), keys.leases(route), keys.sequence(route)
                        },
                        job.id(),
                        job.attempt(),
                        dueAt.toEpochMilli(),
                        refund ? "1" : "0",
                        keys.jobsChannel(route),
                        route)
                .map(answer -> answer.toInteger() == 1);
    }

    @Override
    public Uni<Void> remove(String id) {
        return routeOf(id)
                .onItem()
                .ifNotNull()
                .transformToUni(route -> change(
                                RedisJobScripts.REMOVE,
                                new String[] {keys.job(route, id), keys.queue(route), keys.leases(route)},
                                id)
                        .invoke(jobsLeft -> {
                            if (jobsLeft != null) {
                                held.put(route, jobsLeft.toLong());
                            }
                        }))
                .replaceWithVoid();
    }

    @Override
    public Uni<Job> extendLease(String id, Instant now, Instant deadline) {
        return routeOf(id)
                .onItem()
                .ifNotNull()
                .transformToUni(route -> change(
                                RedisJobScripts.EXTEND,
                                new String[] {keys.job(route, id), keys.leases(route)},
                                id,
                                now.toEpochMilli(),
                                deadline.toEpochMilli())
                        .map(RedisJobStore::decode)
                        .call(extended -> extended == null ? Uni.createFrom().voidItem() : keepRouteOf(id, deadline)));
    }

    /** The route of the correlation's job; null when it has none (most correlations, without routes). */
    private Uni<String> routeOf(String id) {
        return redis.get()
                .commands()
                .send(Request.cmd(Command.GET).arg(keys.jobRoute(id)))
                .map(route -> route == null ? null : route.toString());
    }

    /** The job now lives longer: so must the key that finds it. */
    private Uni<Response> keepRouteOf(String id, Instant deadline) {
        return redis.get()
                .commands()
                .change(Request.cmd(Command.PEXPIREAT).arg(keys.jobRoute(id)).arg(deadline.toEpochMilli()));
    }

    @Override
    public Uni<List<Job>> expireLeases(String route, Instant now, int maxAttempts) {
        return change(
                        RedisJobScripts.EXPIRE_LEASES,
                        new String[] {keys.queue(route), keys.leases(route), keys.sequence(route)},
                        now.toEpochMilli(),
                        maxAttempts,
                        keys.jobs(route),
                        keys.jobsChannel(route),
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

    /** A script that changes state: acknowledged once replicas have it when replica-acks asks for that. */
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
}
