package dev.rendezvous.redis;

import dev.rendezvous.redis.RedisScripts.Script;

/**
 * The Lua scripts that make each step of a job atomic in Redis, so that any replica may take any
 * step: one hash per job that expires with its correlation, and per route a queue (scored by when
 * each job became due, in microseconds with a sequence so that jobs due in the same millisecond keep
 * their order) and a lease index (scored by when each lease ends). All of a route's keys share its
 * hash tag ({@link RedisKeys}), so a script may derive a job's key from an ID found in an index and
 * still touch one cluster slot.
 *
 * <p>Hash fields: {@code id}, {@code r} route, {@code ca} incarnation, {@code b}/{@code ct} body and
 * media type, {@code tk} token, {@code base} base URL, {@code dl} deadline, {@code ls} pull lease (ms,
 * empty for push), {@code n} attempts, {@code lu} lease end (empty while queued).
 */
final class RedisJobScripts {

    /**
     * KEYS: job, queue, leases, sequence. ARGV: id, route, incarnation, body, media type, token, base
     * URL, deadline, lease, most jobs held, now, channel. Returns the jobs held, or -1 when full.
     */
    static final Script ENQUEUE = new Script("""
            if redis.call('EXISTS', KEYS[1]) == 1 then
              redis.call('DEL', KEYS[1])
              redis.call('ZREM', KEYS[2], ARGV[1])
              redis.call('ZREM', KEYS[3], ARGV[1])
            end
            local held = redis.call('ZCARD', KEYS[2]) + redis.call('ZCARD', KEYS[3])
            if held >= tonumber(ARGV[10]) then return -1 end
            redis.call('HSET', KEYS[1], 'id', ARGV[1], 'r', ARGV[2], 'ca', ARGV[3], 'b', ARGV[4], 'ct', ARGV[5],
              'tk', ARGV[6], 'base', ARGV[7], 'dl', ARGV[8], 'ls', ARGV[9], 'n', 0, 'lu', '')
            redis.call('PEXPIREAT', KEYS[1], ARGV[8])
            local score = tonumber(ARGV[11]) * 1000 + redis.call('INCR', KEYS[4]) % 1000
            redis.call('ZADD', KEYS[2], string.format('%.0f', score), ARGV[1])
            redis.call('SPUBLISH', ARGV[12], ARGV[2])
            return held + 1
            """);

    /**
     * KEYS: queue, leases. ARGV: now, lease end, job key prefix, route. Leases the first job due;
     * entries whose job is gone (expired with its correlation) are dropped on the way.
     */
    static final Script CLAIM = new Script("""
            for i = 1, 50 do
              local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
              if #first == 0 or tonumber(first[2]) > tonumber(ARGV[1]) * 1000 + 999 then return false end
              local id = first[1]
              redis.call('ZREM', KEYS[1], id)
              local key = ARGV[3] .. id
              if redis.call('HGET', key, 'r') == ARGV[4] then
                redis.call('HINCRBY', key, 'n', 1)
                redis.call('HSET', key, 'lu', ARGV[2])
                redis.call('ZADD', KEYS[2], ARGV[2], id)
                return redis.call('HGETALL', key)
              end
            end
            return false
            """);

    /**
     * KEYS: job, queue, leases, sequence. ARGV: id, attempt, due at, {@code 1} to refund the attempt,
     * channel, route. Only the current lease can be ended this way.
     */
    static final Script REQUEUE = new Script("""
            local c = redis.call('HMGET', KEYS[1], 'n', 'lu')
            if not c[1] or c[2] == '' or c[1] ~= ARGV[2] then return 0 end
            redis.call('ZREM', KEYS[3], ARGV[1])
            if ARGV[4] == '1' then redis.call('HINCRBY', KEYS[1], 'n', -1) end
            redis.call('HSET', KEYS[1], 'lu', '')
            local score = tonumber(ARGV[3]) * 1000 + redis.call('INCR', KEYS[4]) % 1000
            redis.call('ZADD', KEYS[2], string.format('%.0f', score), ARGV[1])
            if ARGV[4] == '1' then redis.call('SPUBLISH', ARGV[5], ARGV[6]) end
            return 1
            """);

    /** KEYS: job, queue, leases. ARGV: id. Returns the jobs the route still holds, or nil when the job is gone. */
    static final Script REMOVE = new Script("""
            if redis.call('DEL', KEYS[1]) == 0 then return false end
            redis.call('ZREM', KEYS[2], ARGV[1])
            redis.call('ZREM', KEYS[3], ARGV[1])
            return redis.call('ZCARD', KEYS[2]) + redis.call('ZCARD', KEYS[3])
            """);

    /** KEYS: job, leases. ARGV: id, now, deadline. Extends a pull job's current lease. */
    static final Script EXTEND = new Script("""
            local c = redis.call('HMGET', KEYS[1], 'lu', 'ls')
            if not c[1] or c[1] == '' or c[2] == '' then return false end
            local lu = string.format('%.0f', tonumber(ARGV[2]) + tonumber(c[2]))
            redis.call('HSET', KEYS[1], 'lu', lu, 'dl', ARGV[3])
            redis.call('PEXPIREAT', KEYS[1], ARGV[3])
            redis.call('ZADD', KEYS[2], lu, ARGV[1])
            return redis.call('HGETALL', KEYS[1])
            """);

    /**
     * KEYS: queue, leases, sequence. ARGV: now, most attempts, job key prefix, channel, route. Ends up
     * to 100 leases that ran out and drops the queue entries of jobs that expired; returns the jobs
     * held and the ended jobs as they were.
     */
    static final Script EXPIRE_LEASES = new Script("""
            local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, 100)
            local ended = {}
            for _, id in ipairs(ids) do
              redis.call('ZREM', KEYS[2], id)
              local key = ARGV[3] .. id
              local c = redis.call('HMGET', key, 'r', 'n', 'lu')
              if c[1] == ARGV[5] and c[3] ~= '' then
                table.insert(ended, redis.call('HGETALL', key))
                if tonumber(c[2]) >= tonumber(ARGV[2]) then
                  redis.call('DEL', key)
                else
                  redis.call('HSET', key, 'lu', '')
                  local score = tonumber(c[3]) * 1000 + redis.call('INCR', KEYS[3]) % 1000
                  redis.call('ZADD', KEYS[1], string.format('%.0f', score), id)
                end
              end
            end
            -- Jobs that expired with their correlation leave queue entries behind until claimed;
            -- the oldest are looked at on every pass, so that they do not hold places for long.
            for _, stale in ipairs(redis.call('ZRANGE', KEYS[1], 0, 99)) do
              if redis.call('EXISTS', ARGV[3] .. stale) == 0 then redis.call('ZREM', KEYS[1], stale) end
            end
            if #ended > 0 then redis.call('SPUBLISH', ARGV[4], ARGV[5]) end
            return {redis.call('ZCARD', KEYS[1]) + redis.call('ZCARD', KEYS[2]), ended}
            """);

    private RedisJobScripts() {}
}
