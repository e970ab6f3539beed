package dev.rendezvous.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Deadlines short enough to watch, and the access log on (its handler once failed on unknown versions). */
public class ShortDeadlinesProfile implements QuarkusTestProfile {

    public static final long HEADER_SECONDS = 2;
    public static final long KEEP_ALIVE_SECONDS = 3;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "rendezvous.header-timeout", HEADER_SECONDS + "S",
                "rendezvous.keep-alive-timeout", KEEP_ALIVE_SECONDS + "S",
                "quarkus.http.access-log.enabled", "true");
    }
}
