package dev.rendezvous.redis;

import dev.rendezvous.correlation.model.Correlation;
import dev.rendezvous.correlation.model.Rejection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;

/**
 * How many correlations each API key holds in Redis: a sorted set of IDs per key, scored by initial
 * expiry. It lives in the key's own slot, not the correlation's, so a create lists the ID first
 * ({@link RedisScripts#RESERVE}) and takes it off again if the ID turns out to be taken.
 */
final class OwnerQuota {

    private final RedisCommands commands;
    private final RedisKeys keys;
    private final int maxPerOwner;

    OwnerQuota(RedisCommands commands, RedisKeys keys, int maxPerOwner) {
        this.commands = commands;
        this.keys = keys;
        this.maxPerOwner = maxPerOwner;
    }

    /**
     * Lists the correlation's ID under its owner, or fails with a 429 when the owner holds its most.
     * Answers whether this call listed it (false: it was listed already, by an earlier create of the ID).
     */
    Uni<Boolean> reserve(Correlation correlation) {
        return commands.change(
                        RedisScripts.RESERVE,
                        new String[] {keys.owner(correlation.owner())},
                        correlation.createdAt().toEpochMilli(),
                        correlation.expiresAt().toEpochMilli(),
                        maxPerOwner,
                        correlation.id())
                .map(reserved -> {
                    if (reserved.toInteger() < 0) {
                        throw Rejection.TOO_MANY_FOR_KEY.because(
                                "This API key holds " + maxPerOwner + " correlations.");
                    }
                    return reserved.toInteger() == 1;
                });
    }

    /** Takes a listing of {@link #reserve} back. */
    Uni<Void> release(Correlation correlation) {
        return commands.send(Request.cmd(Command.ZREM)
                        .arg(keys.owner(correlation.owner()))
                        .arg(correlation.id()))
                .replaceWithVoid();
    }
}
