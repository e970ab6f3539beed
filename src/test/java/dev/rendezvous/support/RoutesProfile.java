package dev.rendezvous.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Routes for the tests: push routes to the paths of a {@link PushWorker} started with the
 * application, with short timeouts and retry delays so that retries show within seconds, and pull
 * routes with short leases.
 */
public class RoutesProfile implements QuarkusTestProfile {

    public static final String WORKER_KEY = "worker-key-0123456789";
    public static final String OTHER_WORKER_KEY = "worker-key-rotated-9876543210";
    public static final int SMALL_QUEUE = 2;

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        pull(config, "pull", "1S", 2, 1000);
        pull(config, "heartbeats", "1S", 2, 1000);
        pull(config, "expiring", "0.5S", 2, 1000);
        pull(config, "small", "30S", 5, SMALL_QUEUE);
        return config;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Workers.class));
    }

    private static void pull(Map<String, String> config, String name, String lease, int attempts, int queued) {
        String route = "rendezvous.routes." + name + ".";
        config.put(route + "mode", "pull");
        config.put(route + "worker-keys", WORKER_KEY + "," + OTHER_WORKER_KEY);
        config.put(route + "lease", lease);
        config.put(route + "max-attempts", Integer.toString(attempts));
        config.put(route + "max-queued", Integer.toString(queued));
    }

    /** Starts the push worker before the application, which must know its port. */
    public static class Workers implements QuarkusTestResourceLifecycleManager {

        private PushWorker worker;

        @Override
        public Map<String, String> start() {
            worker = PushWorker.start();
            Map<String, String> config = new HashMap<>();
            push(config, "answering", "/answer", "2S", 5);
            push(config, "flaky", "/flaky", "2S", 5);
            push(config, "rejecting", "/reject", "2S", 5);
            push(config, "busy", "/busy", "2S", 5);
            push(config, "silent", "/silent", "0.3S", 3);
            push(config, "unavailable", "/unavailable", "2S", 50);
            config.put("rendezvous.routes.unavailable.retry-delay", "0.3S");
            config.put("rendezvous.routes.unavailable.max-retry-delay", "0.3S");
            return config;
        }

        private void push(Map<String, String> config, String name, String path, String timeout, int attempts) {
            String route = "rendezvous.routes." + name + ".";
            config.put(route + "url", worker.url(path));
            config.put(route + "secret", PushWorker.SECRET);
            config.put(route + "request-timeout", timeout);
            config.put(route + "max-attempts", Integer.toString(attempts));
            config.put(route + "retry-delay", "0.05S");
            config.put(route + "max-retry-delay", "0.2S");
        }

        @Override
        public void stop() {
            if (worker != null) {
                worker.close();
            }
        }
    }
}
