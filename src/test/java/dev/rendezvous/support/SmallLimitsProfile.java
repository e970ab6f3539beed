package dev.rendezvous.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Limits small enough to reach in a test; short lives so that each test starts from an empty store. */
public class SmallLimitsProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "rendezvous.max-correlations", "3",
                "rendezvous.max-waiters", "2",
                "rendezvous.max-stored-bytes", "100",
                "rendezvous.max-body", "64",
                "rendezvous.result-retention", "1S",
                "rendezvous.max-wait", "4S",
                "quarkus.http.idle-timeout", "5S");
    }
}
