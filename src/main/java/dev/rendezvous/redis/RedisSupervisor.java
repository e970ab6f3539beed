package dev.rendezvous.redis;

import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.correlation.service.LocalWaiters;
import dev.rendezvous.route.service.JobWakeUps;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Keeps a replica in touch with Redis: one subscription to every sharded channel (the buckets of
 * correlations and the routes, see {@link RedisKeys}) that wakes local waiters when any replica
 * settles a correlation or queues a job. It is made again with backoff whenever a connection of it
 * drops or Redis moves one of its channels (a failover, a slot migrated: the client does neither
 * itself), and followed by a recheck of every local waiter, since messages of the gap are lost;
 * a periodic recheck that bounds the delay of any other lost message; and a ping that keeps
 * readiness current while no request reaches Redis.
 */
@ApplicationScoped
class RedisSupervisor {

    private static final Logger LOG = Logger.getLogger(RedisSupervisor.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration LAST_RETRY = Duration.ofSeconds(5);
    private static final Duration PING_INTERVAL = Duration.ofSeconds(1);

    private final RendezvousConfig config;
    private final Instance<RedisCorrelationStore> stores;
    private final Instance<RedisJobStore> jobStores;
    private final LocalWaiters waiters;
    private final JobWakeUps jobs;
    private final Vertx vertx;
    private final Clock clock;
    private final AtomicReference<RedisConnection> subscription = new AtomicReference<>();
    private final AtomicBoolean rechecking = new AtomicBoolean();
    private final AtomicBoolean recheckAgain = new AtomicBoolean();
    private volatile boolean running;
    private volatile Duration nextRetry = FIRST_RETRY;
    private RedisCorrelationStore store;
    private WaiterRecheck recheck;
    private Set<String> jobsChannels;
    private List<String> channels;
    /** The channels Redis confirmed on the current subscription. */
    private final Set<String> confirmed = ConcurrentHashMap.newKeySet();

    private long pingTimer;
    private long recheckTimer;
    private volatile long retryTimer = -1;

    RedisSupervisor(
            RendezvousConfig config,
            @Identifier("redis") Instance<RedisCorrelationStore> stores,
            @Identifier("redis") Instance<RedisJobStore> jobStores,
            LocalWaiters waiters,
            JobWakeUps jobs,
            Vertx vertx,
            Clock clock) {
        this.config = config;
        this.stores = stores;
        this.jobStores = jobStores;
        this.waiters = waiters;
        this.jobs = jobs;
        this.vertx = vertx;
        this.clock = clock;
    }

    void start(@Observes StartupEvent started) {
        if (config.store() != RendezvousConfig.StoreKind.REDIS) {
            return;
        }
        store = stores.get();
        recheck = new WaiterRecheck(waiters, store, clock);
        jobsChannels = Set.copyOf(jobStores.get().channels());
        channels =
                Stream.concat(store.channels().stream(), jobsChannels.stream()).toList();
        running = true;
        warnUnlessNoEviction();
        subscribe();
        pingTimer = vertx.setPeriodic(
                PING_INTERVAL.toMillis(), tick -> store.ping().subscribe().with(pong -> {}, unreachable -> {}));
        recheckTimer = vertx.setPeriodic(config.redis().recheckInterval().toMillis(), tick -> recheckWaiters());
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (!running) {
            return;
        }
        running = false;
        store.wakeUps().lost();
        vertx.cancelTimer(pingTimer);
        vertx.cancelTimer(recheckTimer);
        vertx.cancelTimer(retryTimer);
        RedisConnection connection = subscription.getAndSet(null);
        if (connection != null) {
            connection.closeAndForget();
        }
    }

    private void subscribe() {
        if (!running) {
            return;
        }
        store.client()
                .connect()
                .ifNoItem()
                .after(config.redis().commandTimeout())
                .fail()
                .chain(connection -> {
                    connection.handler(message -> onMessage(connection, message));
                    connection.exceptionHandler(failure -> lost(connection));
                    connection.endHandler(() -> lost(connection));
                    subscription.set(connection);
                    confirmed.clear();
                    // A confirmation that never comes (a node connection the client opened later,
                    // which no handler watches) must not leave the subscription half made.
                    vertx.setTimer(config.redis().commandTimeout().toMillis(), tick -> {
                        if (subscription.get() == connection && confirmed.size() < channels.size()) {
                            lost(connection);
                        }
                    });
                    // One channel per command: in a cluster each lives in a slot, on the node that holds it.
                    List<Uni<Response>> sent = new ArrayList<>(channels.size());
                    for (String channel : channels) {
                        sent.add(connection.send(Request.cmd(Command.SSUBSCRIBE).arg(channel)));
                    }
                    return Uni.join().all(sent).andFailFast();
                })
                .subscribe()
                .with(
                        subscribed -> {
                            if (!running) {
                                // Shut down while subscribing: nobody is left to wake.
                                RedisConnection connection = subscription.getAndSet(null);
                                if (connection != null) {
                                    connection.closeAndForget();
                                }
                            }
                            // Sent; it takes effect when Redis confirms it (see onMessage).
                        },
                        failure -> {
                            RedisConnection connection = subscription.get();
                            if (connection != null) {
                                lost(connection);
                            } else {
                                retryLater();
                            }
                        });
    }

    private void lost(RedisConnection connection) {
        if (subscription.compareAndSet(connection, null)) {
            store.wakeUps().lost();
            connection.closeAndForget();
            LOG.warnf("Lost the subscription to %d channels of Redis; resubscribing", channels.size());
            retryLater();
        }
    }

    private void retryLater() {
        if (!running) {
            return;
        }
        Duration delay = nextRetry;
        nextRetry = delay.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : delay.multipliedBy(2);
        retryTimer = vertx.setTimer(delay.toMillis(), tick -> subscribe());
    }

    private void onMessage(RedisConnection connection, Response message) {
        if (connection != subscription.get()) {
            return; // Late news from a connection given up.
        }
        if (message.type() == ResponseType.ERROR) {
            // A channel that moved (MOVED) or a node that is not ready: subscribe anew, with backoff.
            LOG.debugf("Redis refused a subscription: %s", message);
            lost(connection);
            return;
        }
        if (message.size() < 3) {
            return;
        }
        String kind = message.get(0).toString();
        if ("smessage".equals(kind)) {
            String channel = message.get(1).toString();
            if (jobsChannels.contains(channel)) {
                jobs.due(message.get(2).toString());
            } else {
                wake(message.get(2).toString());
            }
        } else if ("ssubscribe".equals(kind)) {
            if (confirmed.add(message.get(1).toString()) && confirmed.size() == channels.size()) {
                subscribed();
            }
        } else if ("sunsubscribe".equals(kind)) {
            // Redis drops a subscriber's channels whose slot moved to another node.
            lost(connection);
        }
    }

    private void wake(String id) {
        // Logged before the waiters are looked up: a waiter registering now either is found or sees it.
        store.wakeUps().heard(id);
        recheck.recheck(id).subscribe().with(done -> {}, unreachable -> {});
    }

    /**
     * Redis confirmed the subscription (sending SSUBSCRIBE completes before Redis has run it): from now
     * on every wake-up arrives, and whatever was published while none was in place is read instead.
     */
    private void subscribed() {
        if (!running) {
            return;
        }
        store.wakeUps().subscribed();
        LOG.infof("Subscribed to %d channels of Redis", channels.size());
        nextRetry = FIRST_RETRY;
        recheckWaiters();
    }

    /**
     * One round at a time; a request during a round runs another after it, since the round may have
     * read some IDs before the message it stands for was lost.
     */
    private void recheckWaiters() {
        if (!rechecking.compareAndSet(false, true)) {
            recheckAgain.set(true);
            return;
        }
        recheck.round()
                .onTermination()
                .invoke(() -> {
                    rechecking.set(false);
                    if (recheckAgain.getAndSet(false) && running) {
                        recheckWaiters();
                    }
                })
                .subscribe()
                .with(answered -> {}, unreachable -> {});
    }

    /** An evicting Redis may drop live correlations; managed services may forbid CONFIG, so stay quiet then. */
    private void warnUnlessNoEviction() {
        store.client()
                .send(Request.cmd(Command.CONFIG).arg("GET").arg("maxmemory-policy"))
                .subscribe()
                .with(
                        answer -> {
                            Response policy = answer.isMap() ? answer.get("maxmemory-policy") : answer.get(1);
                            if (policy != null && !"noeviction".equals(policy.toString())) {
                                LOG.warnf(
                                        "Redis evicts keys under memory pressure (maxmemory-policy %s): live"
                                                + " correlations can vanish; set it to noeviction",
                                        policy);
                            }
                        },
                        refused -> LOG.debugf("Cannot read the Redis eviction policy: %s", refused.toString()));
    }
}
