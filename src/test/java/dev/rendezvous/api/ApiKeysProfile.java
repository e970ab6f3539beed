package dev.rendezvous.api;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Two client API keys, as during a rotation. */
public class ApiKeysProfile implements QuarkusTestProfile {

    static final String KEY_ONE = "key-one-0123456789abcdef";
    static final String KEY_TWO = "key-two-fedcba9876543210";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("rendezvous.api-keys", KEY_ONE + "," + KEY_TWO);
    }
}
