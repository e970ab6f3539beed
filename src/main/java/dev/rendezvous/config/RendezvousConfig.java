package dev.rendezvous.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    /** A request head not complete this long after its connection opened (or its first byte) is answered 408. */
    @WithDefault("10S")
    Duration headerTimeout();

    /** A connection with no request in progress is closed after this long; held requests are not affected. */
    @WithDefault("60S")
    Duration keepAliveTimeout();

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

    /** Routes by name ({@code [a-z0-9-]{1,64}}): the only places jobs can be dispatched to. */
    Map<String, Route> routes();

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

        /** Replicas that must confirm each state change (WAIT) before it is acknowledged; 0 waits for none. */
        @WithDefault("0")
        int replicaAcks();

        /** Longest wait for those replicas before the change is answered 503; below {@code command-timeout}. */
        @WithDefault("1S")
        Duration replicaAckTimeout();
    }

    /** How a route hands its jobs to workers. */
    enum RouteMode {
        PUSH,
        PULL
    }

    /** One route, {@code rendezvous.routes.<name>.*}; checked at startup by {@code core.Routes}. */
    interface Route {

        /** {@code push} (the service POSTs each job to {@code url}) or {@code pull} (workers long-poll for jobs). */
        @WithDefault("push")
        RouteMode mode();

        /** Push: the worker's URL, http or https. */
        Optional<String> url();

        /** Push: the Standard Webhooks secret ({@code whsec_} and base64) that signs each dispatch. */
        Optional<String> secret();

        /** Pull: the keys workers present as bearer tokens (secrets; several allow rotation). */
        Optional<List<String>> workerKeys();

        /** Expiry of a job's correlation created without {@code ttl}; unset, {@code default-ttl}. */
        Optional<Duration> ttl();

        /** Most dispatches (push) or leases (pull) of one job before its correlation fails with 502. */
        @WithDefault("5")
        int maxAttempts();

        /** Pull: how long a worker holds a job without a result, failure or heartbeat before it is offered again. */
        @WithDefault("30S")
        Duration lease();

        /** Push: longest wait for the worker's answer to one dispatch. */
        @WithDefault("10S")
        Duration requestTimeout();

        /** Push: the delay before the first retry, doubled for each one after it (with full jitter). */
        @WithDefault("1S")
        Duration retryDelay();

        /** Push: the most the doubling retry delay grows to. */
        @WithDefault("60S")
        Duration maxRetryDelay();

        /** Jobs the route holds (queued, leased or awaiting a retry) before submissions get 503. */
        @WithDefault("10000")
        int maxQueued();
    }
}
