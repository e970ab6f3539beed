package dev.rendezvous.redis;

import dev.rendezvous.config.RendezvousConfig;
import io.quarkus.redis.client.RedisOptionsCustomizer;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Tells a misconfigured Redis connection from an unreachable Redis, once, at startup. The client says
 * only that it cannot connect, on every command; this asks each configured host directly whether it
 * is what {@code quarkus.redis.client-type} takes it for, and logs one line naming the setting to
 * fix. It neither delays nor fails startup: the replica starts and stays unready (its commands fail),
 * as while Redis is down.
 */
@ApplicationScoped
class RedisSetupCheck implements RedisOptionsCustomizer {

    private static final Logger LOG = Logger.getLogger(RedisSetupCheck.class);
    private static final String DEFAULT_CLIENT = "<default>";

    private final RendezvousConfig config;
    // Looked up when used: the client's options are made before Vert.x's bean can be injected.
    private final Instance<Vertx> vertx;
    private volatile RedisOptions options;

    RedisSetupCheck(RendezvousConfig config, Instance<Vertx> vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    /** Keeps a copy of what the client is made with, so that the hosts are asked the same way; changes nothing. */
    @Override
    public void customize(String clientName, RedisOptions options) {
        if (DEFAULT_CLIENT.equals(clientName)) {
            this.options = new RedisOptions(options);
        }
    }

    void check(@Observes StartupEvent started) {
        RedisOptions configured = options;
        if (config.store() != RendezvousConfig.StoreKind.REDIS
                || configured == null
                || (configured.getType() != RedisClientType.CLUSTER
                        && configured.getType() != RedisClientType.SENTINEL)) {
            return;
        }
        List<Uni<SetupFinding>> findings = new ArrayList<>();
        for (String host : configured.getEndpoints()) {
            findings.add(ask(configured, host));
        }
        Uni.join().all(findings).andFailFast().subscribe().with(all -> report(configured, all), failure -> {});
    }

    /** What {@code host} says about itself; never fails, since no answer says nothing about the settings. */
    private Uni<SetupFinding> ask(RedisOptions configured, String host) {
        Redis probe = Redis.createClient(
                vertx.get(),
                new RedisOptions(configured)
                        .setType(RedisClientType.STANDALONE)
                        .setEndpoints(new ArrayList<>(List.of(host)))
                        .setMaxPoolSize(1));
        Uni<SetupFinding> finding;
        if (configured.getType() == RedisClientType.CLUSTER) {
            finding = within(probe.send(Request.cmd(Command.CLUSTER).arg("INFO")))
                    .map(info -> SetupFinding.clusterNode())
                    .onFailure()
                    .recoverWithItem(failure -> SetupFinding.clusterRefused(host, failure));
        } else {
            String name = configured.getMasterName();
            finding = within(probe.send(Request.cmd(Command.SENTINEL)
                            .arg("GET-MASTER-ADDR-BY-NAME")
                            .arg(name)))
                    .map(address -> SetupFinding.sentinelAnswered(host, name, address))
                    .onFailure()
                    .recoverWithItem(failure -> SetupFinding.sentinelRefused(host, failure));
        }
        return finding.onTermination().invoke(probe::close);
    }

    private <T> Uni<T> within(Uni<T> command) {
        return command.ifNoItem().after(config.redis().commandTimeout()).fail();
    }

    private static void report(RedisOptions configured, List<SetupFinding> findings) {
        List<SetupFinding> misfits =
                findings.stream().filter(SetupFinding::misfits).toList();
        if (misfits.isEmpty() || findings.stream().anyMatch(SetupFinding::fits)) {
            return;
        }
        LOG.errorf(
                "Redis is misconfigured, so this replica stays unready (%s): %s. Fix: %s",
                settings(configured),
                misfits.stream().map(SetupFinding::problem).collect(Collectors.joining("; ")),
                misfits.stream().map(SetupFinding::fix).distinct().collect(Collectors.joining("; ")));
    }

    /** The settings the line is about, hosts without their passwords. */
    private static String settings(RedisOptions configured) {
        String hosts = configured.getEndpoints().stream()
                .map(SetupFinding::withoutPassword)
                .collect(Collectors.joining(","));
        String named = configured.getType() == RedisClientType.SENTINEL
                ? ", quarkus.redis.master-name=" + configured.getMasterName()
                : "";
        return "quarkus.redis.client-type=" + configured.getType().name().toLowerCase(Locale.ROOT)
                + ", quarkus.redis.hosts=" + hosts + named;
    }
}
