package dev.rendezvous.edge;

import io.netty.util.concurrent.EventExecutor;
import java.util.function.Function;

/**
 * What every connection's guard shares: how to answer, the two deadlines (0: none), and each event
 * loop's sweep.
 */
record GuardSettings(
        EdgeAnswers answers, long headerNanos, long keepAliveNanos, Function<EventExecutor, DeadlineSweep> sweeps) {

    /**
     * For a guard put on a connection after its first bytes were read (TLS, PROXY protocol): it cannot
     * know what is in progress there, so it checks heads but sets no deadline that could cut one off.
     */
    GuardSettings withoutDeadlines() {
        return new GuardSettings(answers, 0, 0, sweeps);
    }
}
