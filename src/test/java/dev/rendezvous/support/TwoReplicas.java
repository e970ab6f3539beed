package dev.rendezvous.support;

import java.util.List;

/**
 * A test against the {@link ReplicaPair} its class registers, with the pair's parts under short names.
 * The pair starts before the class's tests and each test instance is made after it, so a subclass
 * passes its pair up from its constructor:
 *
 * <pre>{@code
 * class SomeIT extends TwoReplicas {
 *     @RegisterExtension
 *     static final ReplicaPair PAIR = ReplicaPair.withRedis();
 *
 *     SomeIT() {
 *         super(PAIR);
 *     }
 * }
 * }</pre>
 */
public abstract class TwoReplicas {

    /** The Redis both replicas share. */
    protected final RedisServer redis;

    /** Both replicas, {@link #a}'s first. */
    protected final List<Replica> replicas;

    protected final ReplicaClient a;
    protected final ReplicaClient b;

    protected TwoReplicas(ReplicaPair pair) {
        redis = pair.redis();
        replicas = pair.replicas();
        a = pair.a();
        b = pair.b();
    }
}
