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
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Keeps a replica in touch with Redis: one pub/sub subscription that wakes local waiters when any
 * replica settles a correlation, resubscribed with backoff whenever its connection drops (the client
 * does not do it), followed by a recheck of every local waiter, since messages of the gap are lost;
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
    private String jobsChannel;
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
        jobsChannel = jobStores.get().channel();
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
                    connection.handler(this::onMessage);
                    connection.exceptionHandler(failure -> lost(connection));
                    connection.endHandler(() -> lost(connection));
                    subscription.set(connection);
                    // Routes with due jobs share the connection: workers waiting here wake up for them too.
                    return connection.send(
                            Request.cmd(Command.SUBSCRIBE).arg(store.channel()).arg(jobsChannel));
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
            LOG.warnf("Lost the subscription to %s; resubscribing", store.channel());
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

    private void onMessage(Response message) {
        if (message.size() == 3
                && "subscribe".equals(message.get(0).toString())
                && store.channel().equals(message.get(1).toString())) {
            subscribed();
        } else if (message.size() == 3 && "message".equals(message.get(0).toString())) {
            if (jobsChannel.equals(message.get(1).toString())) {
                jobs.due(message.get(2).toString());
            } else {
                RedisCodec.Announcement announced =
                        RedisCodec.announcement(message.get(2).toBytes());
                String id = announced.id();
                // Logged before the waiters are looked up: a waiter registering now either is found or sees it.
                store.wakeUps().heard(id);
                Uni<Boolean> rechecked = announced.hashStart() < 0
                        ? recheck.recheck(id)
                        : recheck.recheck(id, () -> store.announced(id, announced.fields(), clock.instant()));
                rechecked.subscribe().with(done -> {}, unreachable -> {});
            }
        }
    }

    /**
     * Redis confirmed the subscription (sending SUBSCRIBE completes before Redis has run it): from now
     * on every wake-up arrives, and whatever was published while none was in place is read instead.
     */
    private void subscribed() {
        if (!running) {
            return;
        }
        store.wakeUps().subscribed();
        LOG.infof("Subscribed to %s", store.channel());
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
