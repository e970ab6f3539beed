package dev.rendezvous.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.mutiny.TimeoutException;
import io.vertx.core.VertxException;
import io.vertx.redis.client.impl.types.ErrorType;
import java.net.ConnectException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How failed commands are told apart. Error replies are built with the client's own {@code ErrorType}
 * (an {@code .impl.} class: the client offers no public way to make one), as a command and as a
 * batch fail with them.
 */
class RedisFailureTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "MOVED 3999 127.0.0.1:7002",
                "ASK 3999 127.0.0.1:7002",
                "CLUSTERDOWN The cluster is down",
                "TRYAGAIN Multiple keys request during rehashing of slot",
                "LOADING Redis is loading the dataset in memory",
                "READONLY You can't write against a read only replica.",
                "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
                "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.",
                "NOREPLICAS Not enough good replicas to write.",
                "ERR [0] MOVED 3999 127.0.0.1:7002",
                "ERR [1] READONLY You can't write against a read only replica."
            })
    void takesRepliesOfARedisThatCannotServeAnyoneNowForUnavailability(String reply) {
        assertEquals(RedisFailure.UNAVAILABLE, RedisFailure.of(ErrorType.create(reply)));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ERR unknown command 'FOO'",
                "WRONGTYPE Operation against a key holding the wrong kind of value",
                "ERR Error running script (call to f_1234): @user_script:1: oops",
                "ERR [0] unknown command 'FOO'",
                "MOVEDX not a redirection"
            })
    void leavesAnyOtherErrorReplyToItsOwnCommand(String reply) {
        assertEquals(RedisFailure.REFUSED, RedisFailure.of(ErrorType.create(reply)));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"OOM command not allowed when used memory > 'maxmemory'.", "ERR [0] OOM command not allowed"})
    void tellsARedisOutOfMemory(String reply) {
        assertEquals(RedisFailure.OUT_OF_MEMORY, RedisFailure.of(ErrorType.create(reply)));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "NOSCRIPT No matching script. Please use EVAL.",
                "ERR [0] NOSCRIPT No matching script. Please use EVAL."
            })
    void tellsAScriptRedisDoesNotKnowAlsoInABatch(String reply) {
        assertEquals(RedisFailure.MISSING_SCRIPT, RedisFailure.of(ErrorType.create(reply)));
    }

    @ParameterizedTest
    @MethodSource("noAnswers")
    void takesNoAnswerAtAllForUnavailability(Throwable failure) {
        assertEquals(RedisFailure.UNAVAILABLE, RedisFailure.of(failure));
    }

    static Stream<Throwable> noAnswers() {
        return Stream.of(
                new ConnectException("Connection refused: /127.0.0.1:6390"),
                new TimeoutException(),
                // How the Sentinel client fails while the primary it names is not reachable yet.
                new VertxException("Cannot connect to any of the provided endpoints", true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ERR [12] BUSY Redis is busy", "BUSY", ""})
    void readsTheErrorCodeAfterABatchsIndex(String reply) {
        assertEquals(reply.isEmpty() ? "" : "BUSY", RedisFailure.kind(reply));
    }
}
