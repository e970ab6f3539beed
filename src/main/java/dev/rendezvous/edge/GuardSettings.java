package dev.rendezvous.edge;

import io.netty.util.concurrent.EventExecutor;
import java.util.function.Function;

/** What every connection's guard shares: how to answer, the two deadlines, and each event loop's sweep. */
record GuardSettings(
        EdgeAnswers answers, long headerNanos, long keepAliveNanos, Function<EventExecutor, DeadlineSweep> sweeps) {}
