package dev.rendezvous.route.service;

import dev.rendezvous.config.RendezvousConfig.Route;
import dev.rendezvous.config.RendezvousConfig.RouteMode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A route as the configuration would give it, for tests without an application. */
record TestRoute(RouteMode mode, Optional<String> url, Optional<String> secret, Optional<List<String>> workerKeys)
        implements Route {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    static TestRoute pull(String... keys) {
        return new TestRoute(RouteMode.PULL, Optional.empty(), Optional.empty(), Optional.of(List.of(keys)));
    }

    static TestRoute push(String url, String secret) {
        return new TestRoute(RouteMode.PUSH, Optional.ofNullable(url), Optional.ofNullable(secret), Optional.empty());
    }

    @Override
    public Optional<Duration> ttl() {
        return Optional.empty();
    }

    @Override
    public int maxAttempts() {
        return 2;
    }

    @Override
    public Duration lease() {
        return Duration.ofSeconds(30);
    }

    @Override
    public Duration requestTimeout() {
        return Duration.ofSeconds(10);
    }

    @Override
    public Duration retryDelay() {
        return Duration.ofSeconds(1);
    }

    @Override
    public Duration maxRetryDelay() {
        return Duration.ofSeconds(60);
    }

    @Override
    public int maxQueued() {
        return 3;
    }
}
