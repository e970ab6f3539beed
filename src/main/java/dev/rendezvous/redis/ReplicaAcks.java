package dev.rendezvous.redis;

import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.correlation.model.Rejection;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * {@code rendezvous.redis.replica-acks}: how many replicas must have a state change ({@code WAIT})
 * before it is acknowledged, and the answer when fewer confirm it in time. A shortfall is logged once
 * per episode: while replicas are gone, every change falls short.
 */
final class ReplicaAcks {

    private static final Logger LOG = Logger.getLogger(ReplicaAcks.class);
    private static final String SHORT_DETAIL = "Too few Redis replicas confirmed the change in time: it may or may not"
            + " last through a failover of Redis. An identical retry is safe.";

    private final int required;
    private final Duration timeout;
    private final AtomicBoolean fallingShort = new AtomicBoolean();

    /** @throws IllegalArgumentException naming the keys, when they cannot work together */
    ReplicaAcks(RendezvousConfig.RedisStore settings) {
        this.required = settings.replicaAcks();
        this.timeout = settings.replicaAckTimeout();
        if (required < 0) {
            throw new IllegalArgumentException("rendezvous.redis.replica-acks must be 0 or more, not " + required);
        }
        if (required > 0 && timeout.toMillis() < 1) {
            // WAIT with a timeout of 0 would block for good.
            throw new IllegalArgumentException(
                    "rendezvous.redis.replica-ack-timeout must be at least 1 ms, not " + timeout);
        }
        if (required > 0 && settings.commandTimeout().compareTo(timeout) <= 0) {
            throw new IllegalArgumentException("rendezvous.redis.command-timeout (" + settings.commandTimeout()
                    + ") must be longer than rendezvous.redis.replica-ack-timeout (" + timeout
                    + "): a change and its wait for replicas are one command");
        }
    }

    /** Whether changes wait for replicas at all. */
    boolean wanted() {
        return required > 0;
    }

    /** The {@code WAIT} to send right after a change, on its connection. */
    Request request() {
        return Request.cmd(Command.WAIT).arg(required).arg(timeout.toMillis());
    }

    /**
     * The change's own reply, given the replies to the change and its {@link #request()}.
     *
     * @throws dev.rendezvous.correlation.model.RendezvousException a 503 when too few replicas confirmed it
     */
    Response confirmed(List<Response> replies) {
        long confirmed = replies.get(1).toLong();
        if (confirmed < required) {
            if (fallingShort.compareAndSet(false, true)) {
                LOG.warnf(
                        "Only %d of the %d Redis replicas required (rendezvous.redis.replica-acks) confirmed a change"
                                + " within %s: changes are answered 503 until enough replicas confirm them",
                        confirmed, required, timeout);
            }
            throw Rejection.STORE_UNAVAILABLE.because(SHORT_DETAIL);
        }
        if (fallingShort.compareAndSet(true, false)) {
            LOG.infof("Redis replicas confirm changes again (%d required)", required);
        }
        return replies.get(0);
    }
}
