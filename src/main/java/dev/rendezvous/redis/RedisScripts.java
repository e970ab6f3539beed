package dev.rendezvous.redis;

import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The Lua scripts that make each change of a correlation atomic in Redis: check its state and token,
 * store, move the expiry and publish the wake-up on the correlation's sharded channel, all in one step
 * that no other replica can interleave. Each touches the keys of one slot ({@link RedisKeys}).
 *
 * <p>Hash fields: {@code s} state, {@code ca}/{@code ea}/{@code da} created, expires and completed
 * (epoch milliseconds), {@code ttl} (ms), {@code th} token hash, {@code b}/{@code ct} result body and
 * media type, {@code fs}/{@code ft}/{@code fd} failure status, title and detail, {@code ha}/{@code hd}
 * last heartbeat, {@code ow} owner, {@code sk} signing key, {@code wid} webhook-id of the signed
 * callback that settled it. Optional texts carry a leading {@code +} when present and are {@code -} when absent.
 */
final class RedisScripts {

    /**
     * KEYS: the owner's index (a sorted set of IDs by initial expiry), by itself: in a cluster it lives
     * in the owner's slot, not the correlation's. ARGV: createdAt, expiresAt, most correlations per
     * owner, id. Lists the ID before {@link #CREATE} runs and answers 1; 0 when it was listed already
     * (an ID the owner created before), -1 when the owner holds its most. A replica that stops between
     * the two leaves the ID listed until its expiry, counted against the owner.
     */
    static final Script RESERVE = new Script("""
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
            if redis.call('ZSCORE', KEYS[1], ARGV[4]) then
              redis.call('ZADD', KEYS[1], 'GT', ARGV[2], ARGV[4])
              return 0
            end
            if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return -1 end
            redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
            if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) - tonumber(ARGV[1]) then
              redis.call('PEXPIREAT', KEYS[1], ARGV[2])
            end
            return 1
            """);

    /**
     * KEYS: correlation. ARGV: createdAt, expiresAt, ttl, token hash, owner, signing key (empty: none).
     * A consumed ID is free again.
     */
    static final Script CREATE = new Script("""
            local s = redis.call('HGET', KEYS[1], 's')
            if s and s ~= 'consumed' then return 0 end
            if s then redis.call('DEL', KEYS[1]) end
            redis.call('HSET', KEYS[1], 's', 'pending', 'ca', ARGV[1], 'ea', ARGV[2], 'ttl', ARGV[3], 'th', ARGV[4], 'ow', ARGV[5])
            if ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'sk', ARGV[6]) end
            redis.call('PEXPIREAT', KEYS[1], ARGV[2])
            return 1
            """);

    /**
     * The fields {@link #SETTLE} reads, in the order of its answer: every field a correlation's hash
     * can hold. The script addresses them by position ({@code c[1]} is {@code s}, {@code c[16]} is
     * {@code da}): a new field goes at the end, here and in the script.
     */
    static final List<String> SETTLED_FIELDS =
            List.of("s", "th", "ea", "b", "ct", "fs", "ft", "fd", "sk", "wid", "ca", "ttl", "ow", "ha", "hd", "da");

    /**
     * KEYS: correlation. ARGV: token hash, now, retained until, its bucket's channel, id, webhook-id of a verified
     * signed callback ({@code -}: unsigned), kind ({@code r} result or {@code f} failure), then body and
     * media type, or status, title and detail. The wake-up carries the ID alone: a replica with
     * waiters on it reads what they need, and Redis builds no message (that string work was 38% of
     * this script, docs/redis.md). The answer carries the hash as the values of {@link #SETTLED_FIELDS},
     * without the body, which the caller sent and need not receive back; built from what was read and
     * what was set rather than read again.
     */
    static final Script SETTLE = new Script("""
            local c = redis.call('HMGET', KEYS[1], %s)
            if not c[1] or c[1] == 'consumed' then return {'missing'} end
            if c[2] ~= ARGV[1] then return {'unauthorized'} end
            if c[9] and ARGV[6] == '-' then return {'unsigned'} end
            if c[1] == 'cancelled' then return {'cancelled'} end
            if c[1] ~= 'pending' then
              local same = ARGV[6] ~= '-' and c[10] == ARGV[6]
              if ARGV[7] == 'r' then
                same = same or (c[1] == 'completed' and c[4] == ARGV[8] and c[5] == ARGV[9])
              else
                same = same or (c[1] == 'failed' and c[6] == ARGV[8] and c[7] == ARGV[9] and c[8] == ARGV[10])
              end
              if same then
                -- Written again unchanged: newer Redis counts a WAIT from its connection's last write.
                redis.call('HSET', KEYS[1], 's', c[1])
                return {'repeat', redis.call('HGETALL', KEYS[1])}
              end
              return {'conflict', c[1]}
            end
            -- The key expires when the correlation does (every script keeps its TTL at ea): moved only if later.
            local later = tonumber(ARGV[3]) > tonumber(c[3])
            if later then c[3] = ARGV[3] end
            c[10], c[16] = ARGV[6], ARGV[2]
            if ARGV[7] == 'r' then
              c[1], c[4], c[5] = 'completed', ARGV[8], ARGV[9]
              redis.call('HSET', KEYS[1], 's', c[1], 'b', c[4], 'ct', c[5], 'da', c[16], 'ea', c[3], 'wid', c[10])
            else
              c[1], c[6], c[7], c[8] = 'failed', ARGV[8], ARGV[9], ARGV[10]
              redis.call('HSET', KEYS[1], 's', c[1], 'fs', c[6], 'ft', c[7], 'fd', c[8], 'da', c[16], 'ea', c[3], 'wid', c[10])
            end
            if later then redis.call('PEXPIREAT', KEYS[1], c[3]) end
            redis.call('SPUBLISH', ARGV[4], ARGV[5])
            c[4] = false
            return {'settled', c}
            """.formatted(quoted(SETTLED_FIELDS)));

    /**
     * KEYS: correlation. ARGV: token hash, now, extension in ms (empty: the correlation's TTL), details,
     * {@code 1} when the callback's signature was verified, channel, id. Published too, so that live
     * streams on every replica show the progress.
     */
    static final Script HEARTBEAT = new Script("""
            local c = redis.call('HMGET', KEYS[1], 's', 'th', 'ttl', 'sk')
            if not c[1] or c[1] == 'consumed' then return {'missing'} end
            if c[2] ~= ARGV[1] then return {'unauthorized'} end
            if c[4] and ARGV[5] ~= '1' then return {'unsigned'} end
            if c[1] == 'cancelled' then return {'cancelled'} end
            if c[1] ~= 'pending' then return {'conflict', c[1]} end
            local extension = ARGV[3]
            if extension == '' then extension = c[3] end
            local ea = string.format('%.0f', tonumber(ARGV[2]) + tonumber(extension))
            redis.call('HSET', KEYS[1], 'ea', ea, 'ha', ARGV[2], 'hd', ARGV[4])
            redis.call('PEXPIREAT', KEYS[1], ea)
            redis.call('SPUBLISH', ARGV[6], ARGV[7])
            return {'ok', redis.call('HGETALL', KEYS[1])}
            """);

    /** KEYS: correlation. ARGV: now, channel, id, owner; another owner's correlation is missing. */
    static final Script CANCEL = new Script("""
            local c = redis.call('HMGET', KEYS[1], 's', 'ow')
            local s = c[1]
            if not s or s == 'consumed' or c[2] ~= ARGV[4] then return {'missing'} end
            if s == 'cancelled' then
              redis.call('HSET', KEYS[1], 's', s) -- as for a settled repeat: a WAIT after it covers the cancel
              return {'repeat', redis.call('HGETALL', KEYS[1])}
            end
            if s ~= 'pending' then return {'conflict', s} end
            redis.call('HSET', KEYS[1], 's', 'cancelled', 'da', ARGV[1])
            redis.call('SPUBLISH', ARGV[2], ARGV[3])
            return {'settled', redis.call('HGETALL', KEYS[1])}
            """);

    /**
     * KEYS: correlation. ARGV: grace in ms, owner, createdAt of the incarnation the reader found.
     * Marks that completed correlation consumed and returns 1, so that exactly one reader gets what it
     * read; 0 for every other. The fields stay for the grace period: waiters on other replicas that
     * were registered before completion may still be reading them after a wake-up; to every other
     * request the correlation is gone.
     */
    static final Script CONSUME = new Script("""
            local c = redis.call('HMGET', KEYS[1], 's', 'ow', 'ca')
            if c[1] ~= 'completed' or c[2] ~= ARGV[2] or c[3] ~= ARGV[3] then return 0 end
            redis.call('HSET', KEYS[1], 's', 'consumed')
            redis.call('PEXPIRE', KEYS[1], ARGV[1], 'LT')
            return 1
            """);

    /**
     * KEYS: correlations of one bucket (one slot). ARGV: now, then the createdAt each one's waiters wait on, in the same order.
     * Answers the positions (from 1) of those no longer pending in that incarnation at {@code now}:
     * settled, gone, expired by the replica's clock, or created again.
     */
    static final Script CHANGED = new Script("""
            local now = tonumber(ARGV[1])
            local changed = {}
            for i = 1, #KEYS do
              local c = redis.call('HMGET', KEYS[i], 's', 'ca', 'ea')
              if c[1] ~= 'pending' or c[2] ~= ARGV[i + 1] or tonumber(c[3]) <= now then
                changed[#changed + 1] = i
              end
            end
            return changed
            """);

    private RedisScripts() {}

    /** Lua string literals, comma-separated. */
    private static String quoted(List<String> names) {
        return names.stream().map(name -> "'" + name + "'").collect(Collectors.joining(", "));
    }

    /** A script sent by its SHA-1 digest, so that only the first call after a Redis restart sends its text. */
    record Script(String source, String sha1) {

        Script(String source) {
            this(source, digest(source));
        }

        /** EVALSHA of this script with {@code keyCount} keys, which the caller adds next, then the arguments. */
        Request evalsha(int keyCount) {
            return Request.cmd(Command.EVALSHA).arg(sha1).arg(keyCount);
        }

        /** EVAL of this script's text, as {@link #evalsha(int)}. */
        Request eval(int keyCount) {
            return Request.cmd(Command.EVAL).arg(source).arg(keyCount);
        }

        private static String digest(String source) {
            try {
                MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
                return HexFormat.of().formatHex(sha1.digest(source.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-1 is required by every Java platform", e);
            }
        }
    }
}
