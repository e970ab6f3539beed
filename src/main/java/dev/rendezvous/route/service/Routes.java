package dev.rendezvous.route.service;

import dev.rendezvous.config.RendezvousConfig.Route;
import dev.rendezvous.config.RendezvousConfig.RouteMode;
import dev.rendezvous.correlation.model.CallbackToken;
import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.service.WebhookSignatures;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The configured routes, checked at startup so that a broken one stops the service rather than fail
 * its first job. Only these exist: a client names a route, never a URL, so it cannot make the service
 * call anywhere else.
 */
public class Routes {

    private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,64}");
    private static final Set<String> SCHEMES = Set.of("http", "https");

    private final Map<String, Route> routes;
    private final Map<String, List<CallbackToken.Hash>> workerKeys = new TreeMap<>();

    public Routes(Map<String, Route> configured) {
        List<String> problems = new ArrayList<>();
        configured.forEach((name, route) -> check(name, route, problems));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid rendezvous.routes: " + String.join("; ", problems));
        }
        this.routes = new TreeMap<>(configured);
        routes.forEach((name, route) -> workerKeys.put(
                name,
                route.workerKeys().orElse(List.of()).stream()
                        .map(String::strip)
                        .filter(key -> !key.isEmpty())
                        .map(CallbackToken::hash)
                        .toList()));
    }

    /** The route of that name; anything else, a URL included, is not found. */
    public Route named(String name) {
        Route route = name == null || !NAME.matcher(name).matches() ? null : routes.get(name);
        if (route == null) {
            throw Rejection.ROUTE_NOT_FOUND.because("No route of that name is configured.");
        }
        return route;
    }

    public Map<String, Route> all() {
        return routes;
    }

    /**
     * Checks a pull worker's key against every key of its route in constant time, so that timing
     * reveals neither a key nor which one matched.
     */
    public Route authenticateWorker(String name, String key) {
        Route route = named(name);
        if (route.mode() != RouteMode.PULL) {
            throw Rejection.ROUTE_NOT_FOUND.because("This route pushes its jobs; workers cannot take them.");
        }
        CallbackToken.Hash presented = CallbackToken.hash(key == null ? "" : key);
        boolean known = false;
        for (CallbackToken.Hash candidate : workerKeys.getOrDefault(name, List.of())) {
            known |= candidate.matches(presented);
        }
        if (!known || key == null) {
            throw Rejection.WORKER_KEY_REQUIRED.because(
                    "Send a worker key of this route as 'Authorization: Bearer <key>'.");
        }
        return route;
    }

    private static void check(String name, Route route, List<String> problems) {
        if (!NAME.matcher(name).matches()) {
            problems.add("route name '" + name + "' is not 1 to 64 characters of a-z 0-9 -");
        }
        if (route.maxAttempts() < 1 || route.maxQueued() < 1) {
            problems.add(name + ": max-attempts and max-queued must be at least 1");
        }
        if (route.mode() == RouteMode.PUSH) {
            if (route.url().filter(Routes::isHttpUrl).isEmpty()) {
                problems.add(name + ": a push route needs url, an absolute http or https URL");
            }
            if (route.secret().filter(Routes::isSecret).isEmpty()) {
                problems.add(name + ": a push route needs secret, whsec_ and base64");
            }
        } else if (route.workerKeys().orElse(List.of()).stream().allMatch(String::isBlank)) {
            problems.add(name + ": a pull route needs worker-keys");
        }
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getScheme() != null && SCHEMES.contains(uri.getScheme()) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isSecret(String secret) {
        try {
            return WebhookSignatures.key(secret).length > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
