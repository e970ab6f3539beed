package dev.rendezvous.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every {@code rendezvous.*} key; the README's configuration table mirrors this interface. */
@ConfigMapping(prefix = "rendezvous")
public interface RendezvousConfig {

    /** Where correlations live: {@code memory} (one instance) or {@code redis} (any number of replicas). */
    @WithDefault("memory")
    StoreKind store();

    /** Expiry of a correlation created without {@code ttl}. */
    @WithDefault("5M")
    Duration defaultTtl();

    /** Upper bound for {@code ttl} on create and heartbeat. */
    @WithDefault("24H")
    Duration maxTtl();

    /** Upper bound for {@code wait} and {@code Prefer: wait}. */
    @WithDefault("5M")
    Duration maxWait();

    /** Correlations one instance holds, in any state, before answering create with 503. */
    @WithDefault("1000000")
    int maxCorrelations();

    /** Correlations one API key may hold at once, in any state, before create is answered 429. */
    @WithDefault("10000")
    int maxCorrelationsPerKey();

    /** Result, failure and heartbeat-detail bodies one instance holds before answering callbacks with 503. */
    @WithDefault("256M")
    MemorySize maxStoredBytes();

    /** Largest result or failure body. */
    @WithDefault("1M")
    MemorySize maxBody();

    /** Deepest nesting of arrays and objects accepted in a JSON body. */
    @WithDefault("32")
    int maxJsonDepth();

    /** Most digits accepted in one JSON number. */
    @WithDefault("20")
    int maxJsonNumberLength();

    /** How often expired correlations are pruned. */
    @WithDefault("5S")
    Duration pruneInterval();

    /** Waiting requests one instance holds before answering 503. */
    @WithDefault("10000")
    int maxWaiters();

    /** How often an idle event stream gets a keep-alive comment. */
    @WithDefault("15S")
    Duration sseKeepAlive();

    /** Waiting requests one instance holds on one correlation before answering 503. */
    @WithDefault("1000")
    int maxWaitersPerCorrelation();

    /** Minimum time a result stays readable after completion. */
    @WithDefault("1M")
    Duration resultRetention();

    /** Client API keys (secrets; several allow rotation); unset, the client API is open to anyone. */
    Optional<List<String>> apiKeys();

    /** Whether every correlation requires signed callbacks, as if each were created with {@code signing}. */
    @WithDefault("false")
    boolean signingRequired();

    /** Base URL of callback URLs and links; unset, each request's own base URL is used. */
    Optional<String> publicUrl();

    /** Redis mode; the connection itself is configured with the standard {@code quarkus.redis.*} keys. */
    RedisStore redis();

    /** The state stores this build offers. */
    enum StoreKind {
        MEMORY,
        REDIS
    }

    /** Settings of {@code store=redis}. */
    interface RedisStore {

        /** Prefix of every Redis key and channel the service uses. */
        @WithDefault("rendezvous:")
        String keyPrefix();

        /** How often each replica re-reads the state of its waiters, bounding the delay of a lost wake-up. */
        @WithDefault("2S")
        Duration recheckInterval();

        /** Longest wait for one Redis command before the request is answered 503. */
        @WithDefault("2S")
        Duration commandTimeout();
    }
}
