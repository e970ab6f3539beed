package dev.rendezvous.redis;

import io.vertx.mutiny.redis.client.Response;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * What one configured Redis host's answer says about the connection settings ({@link RedisSetupCheck}):
 * that they fit, that they do not (what is wrong, and the fix), or nothing, as when it does not answer.
 */
record SetupFinding(Kind kind, String problem, String fix) {

    enum Kind {
        FITS,
        MISFITS,
        SAYS_NOTHING
    }

    private static final SetupFinding FITS = new SetupFinding(Kind.FITS, null, null);
    private static final SetupFinding NOTHING = new SetupFinding(Kind.SAYS_NOTHING, null, null);

    /** {@code CLUSTER INFO} was answered: a cluster node. */
    static SetupFinding clusterNode() {
        return FITS;
    }

    /** {@code CLUSTER INFO} failed: a standalone Redis refuses it with "cluster support disabled". */
    static SetupFinding clusterRefused(String host, Throwable failure) {
        return misfitIf(
                says(failure, "cluster support disabled"),
                withoutPassword(host) + " is a Redis with cluster support disabled",
                "set quarkus.redis.client-type=standalone (or sentinel), or list Redis Cluster nodes in"
                        + " quarkus.redis.hosts");
    }

    /** {@code SENTINEL GET-MASTER-ADDR-BY-NAME} was answered: the primary's address, or nil for an unknown name. */
    static SetupFinding sentinelAnswered(String host, String masterName, Response address) {
        if (address != null) {
            return FITS;
        }
        return misfit(
                "the Sentinel " + withoutPassword(host) + " monitors no primary named '" + masterName + "'",
                "set quarkus.redis.master-name to a name the Sentinels monitor (SENTINEL MASTERS lists them)");
    }

    /** {@code SENTINEL ...} failed: a data node knows no such command. */
    static SetupFinding sentinelRefused(String host, Throwable failure) {
        return misfitIf(
                says(failure, "unknown command"),
                withoutPassword(host) + " is a Redis data node, not a Sentinel",
                "list the Sentinels in quarkus.redis.hosts (port 26379 by default), or set"
                        + " quarkus.redis.client-type=standalone");
    }

    boolean fits() {
        return kind == Kind.FITS;
    }

    boolean misfits() {
        return kind == Kind.MISFITS;
    }

    /** {@code endpoint} without its user and password, for the log. */
    static String withoutPassword(String endpoint) {
        try {
            String userInfo = new URI(endpoint).getRawUserInfo();
            return userInfo == null ? endpoint : endpoint.replace(userInfo + "@", "");
        } catch (URISyntaxException unparsable) {
            return "(a host that is not a URI)";
        }
    }

    private static SetupFinding misfitIf(boolean misfits, String problem, String fix) {
        return misfits ? misfit(problem, fix) : NOTHING;
    }

    private static SetupFinding misfit(String problem, String fix) {
        return new SetupFinding(Kind.MISFITS, problem, fix);
    }

    private static boolean says(Throwable failure, String text) {
        return failure.getMessage() != null && failure.getMessage().contains(text);
    }
}
