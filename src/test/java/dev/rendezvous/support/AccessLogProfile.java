package dev.rendezvous.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The shipped access-log settings, switched on. */
public class AccessLogProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.http.access-log.enabled", "true");
    }
}
