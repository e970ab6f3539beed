package dev.rendezvous.redis;

import dev.rendezvous.correlation.model.Outcome;
import dev.rendezvous.correlation.model.Rejection;
import dev.rendezvous.correlation.model.RendezvousException;
import dev.rendezvous.correlation.service.CorrelationStore.Settlement;
import io.vertx.mutiny.redis.client.Response;
import java.util.Map;

/** What the settling scripts of {@link RedisScripts} take and answer, in the service's terms. */
final class RedisVerdicts {

    private RedisVerdicts() {}

    static Object[] failureArguments(Outcome.Failure failure) {
        return new Object[] {
            "f", failure.status(), RedisCodec.optional(failure.title()), RedisCodec.optional(failure.detail())
        };
    }

    /** Turns a script's verdict into a settlement, or into the rejection it stands for. */
    static Settlement settlement(String id, Response answer) {
        String verdict = answer.get(0).toString();
        return switch (verdict) {
            case "settled", "ok" -> new Settlement(RedisCodec.decode(id, RedisCodec.fields(answer.get(1))), true);
            case "repeat" -> new Settlement(RedisCodec.decode(id, RedisCodec.fields(answer.get(1))), false);
            case "missing" -> throw Rejection.NOT_FOUND.exception();
            case "unauthorized" -> throw Rejection.UNAUTHORIZED.exception();
            case "cancelled" -> throw Rejection.CANCELLED.exception();
            case "unsigned" -> throw Rejection.UNSIGNED.exception();
            case "conflict" -> throw conflict(answer.get(1).toString());
            default -> throw new IllegalStateException("Unexpected script answer " + verdict);
        };
    }

    /**
     * As {@link #settlement}, for {@link RedisScripts#SETTLE}: it answers a success as the values of
     * {@link RedisScripts#SETTLED_FIELDS}, without the {@code body} just stored.
     */
    static Settlement settled(String id, Response answer, byte[] body) {
        if (!answer.get(0).toString().equals("settled")) {
            return settlement(id, answer);
        }
        Map<String, byte[]> fields = RedisCodec.fields(RedisScripts.SETTLED_FIELDS, answer.get(1));
        if (body != null) {
            fields.put("b", body);
        }
        return new Settlement(RedisCodec.decode(id, fields), true);
    }

    private static RendezvousException conflict(String state) {
        return state.equals("pending")
                ? Rejection.NOT_PENDING.because("This correlation is still pending.")
                : Rejection.ALREADY_SETTLED.because("This correlation is already " + state + ".");
    }
}
