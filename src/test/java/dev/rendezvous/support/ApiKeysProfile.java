package dev.rendezvous.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * A deployment as the README advises for untrusted networks: client API keys (two of them as during
 * a rotation, a third for quota tests), a public URL that no request header can change, and a small
 * quota of correlations per key.
 */
public class ApiKeysProfile implements QuarkusTestProfile {

    public static final String KEY_ONE = "key-one-0123456789abcdef";
    public static final String KEY_TWO = "key-two-fedcba9876543210";
    public static final String KEY_THREE = "key-three-0011223344556677";
    public static final int MAX_PER_KEY = 10;
    public static final String PUBLIC_URL = "https://rendezvous.example.test/base";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "rendezvous.api-keys",
                KEY_ONE + "," + KEY_TWO + "," + KEY_THREE,
                "rendezvous.public-url",
                PUBLIC_URL,
                "rendezvous.max-correlations-per-key",
                Integer.toString(MAX_PER_KEY));
    }
}
