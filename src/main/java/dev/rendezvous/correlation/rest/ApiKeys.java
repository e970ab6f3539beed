package dev.rendezvous.correlation.rest;

import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.correlation.model.CallbackToken;
import dev.rendezvous.correlation.model.Rejection;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Client API keys: with {@code rendezvous.api-keys} set, every client request names its key as a
 * bearer token, and a correlation belongs to the key that created it. Keys are kept and compared as
 * SHA-256 hashes in constant time, against every configured key, so timing reveals neither a key
 * nor which one matched; the owner recorded with a correlation is that hash, never the key.
 */
@ApplicationScoped
@Startup // derives each key's scope before the first request, not on an event loop
public class ApiKeys {

    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    /** Iterations of PBKDF2 that make a scope: about 50 ms of one core per key, once, at startup. */
    private static final int SCOPE_ITERATIONS = 100_000;

    private static final byte[] SCOPE_SALT = "rendezvous API key scope".getBytes(StandardCharsets.US_ASCII);

    private final List<CallbackToken.Hash> keys;
    /** Each configured key's caller, by owner. */
    private final Map<String, Caller> callers;

    ApiKeys(RendezvousConfig config) {
        List<String> configured = config.apiKeys().orElse(List.of()).stream()
                .map(String::strip)
                .filter(key -> !key.isEmpty())
                .toList();
        this.keys = configured.stream().map(CallbackToken::hash).toList();
        this.callers = configured.stream()
                .collect(Collectors.toUnmodifiableMap(ApiKeys::owner, ApiKeys::scoped, (same, twice) -> same));
    }

    /** Whom a request with this {@code Authorization} header acts for; {@link Caller#OPEN} when keys are off. */
    public Caller caller(String authorization) {
        if (keys.isEmpty()) {
            return Caller.OPEN;
        }
        String bearer = Inputs.bearer(authorization);
        CallbackToken.Hash presented = CallbackToken.hash(bearer == null ? "" : bearer);
        boolean known = false;
        for (CallbackToken.Hash key : keys) {
            known |= key.matches(presented);
        }
        if (!known) {
            throw Rejection.UNAUTHENTICATED.because("Send a valid API key as 'Authorization: Bearer <key>'.");
        }
        return callers.get(URL_SAFE.encodeToString(presented.value()));
    }

    private static String owner(String key) {
        return URL_SAFE.encodeToString(CallbackToken.hash(key).value());
    }

    /**
     * The key's caller. Its scope appears in worker URLs, which third parties see, so it is derived
     * from the key itself by PBKDF2: a fast hash would let anyone test guesses of a weak key offline.
     */
    private static Caller scoped(String key) {
        try {
            PBEKeySpec spec = new PBEKeySpec(key.toCharArray(), SCOPE_SALT, SCOPE_ITERATIONS, 128);
            byte[] derived = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
            return new Caller(owner(key), URL_SAFE.encodeToString(derived).substring(0, Caller.SCOPE_LENGTH));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every Java runtime offers PBKDF2WithHmacSHA256", e);
        }
    }
}
