package dev.rendezvous.api;

import dev.rendezvous.config.RendezvousConfig;
import dev.rendezvous.core.CallbackToken;
import dev.rendezvous.core.Rejection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Client API keys: with {@code rendezvous.api-keys} set, every client request names its key as a
 * bearer token, and a correlation belongs to the key that created it. Keys are kept and compared as
 * SHA-256 hashes in constant time, against every configured key, so timing reveals neither a key
 * nor which one matched; the owner recorded with a correlation is that hash, never the key.
 */
@ApplicationScoped
class ApiKeys {

    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private final List<CallbackToken.Hash> keys;
    /** Scopes by owner; one entry per configured key at most. */
    private final Map<String, Caller> callers = new ConcurrentHashMap<>();

    ApiKeys(RendezvousConfig config) {
        this.keys = config.apiKeys().orElse(List.of()).stream()
                .map(String::strip)
                .filter(key -> !key.isEmpty())
                .map(CallbackToken::hash)
                .toList();
    }

    /** Whom a request with this {@code Authorization} header acts for; {@link Caller#OPEN} when keys are off. */
    Caller caller(String authorization) {
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
        return callers.computeIfAbsent(URL_SAFE.encodeToString(presented.value()), ApiKeys::scoped);
    }

    private static Caller scoped(String owner) {
        String scope =
                URL_SAFE.encodeToString(CallbackToken.hash("scope:" + owner).value());
        return new Caller(owner, scope.substring(0, Caller.SCOPE_LENGTH));
    }
}
