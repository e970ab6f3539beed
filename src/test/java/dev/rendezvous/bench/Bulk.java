package dev.rendezvous.bench;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * Many asynchronous requests with a bounded number in flight, so that setting up a scenario neither
 * floods the server's accept queue nor takes one round trip per request.
 */
final class Bulk {

    private Bulk() {}

    /**
     * Starts {@code operation(0)} to {@code operation(n - 1)}, at most {@code inFlight} at once, and
     * answers their futures once all have completed (successfully or not); blocks the caller.
     */
    static <T> List<Future<T>> run(int n, int inFlight, IntFunction<Future<T>> operation) {
        Semaphore permits = new Semaphore(inFlight);
        CountDownLatch done = new CountDownLatch(n);
        List<Future<T>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            permits.acquireUninterruptibly();
            Future<T> future = operation.apply(i);
            futures.add(future);
            future.onComplete(ignored -> {
                permits.release();
                done.countDown();
            });
        }
        try {
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException(done.getCount() + " of " + n + " requests never completed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + n + " requests", e);
        }
        return futures;
    }

    /** Blocks until {@code future} completes, for at most {@code seconds}; a failure is the exception's cause. */
    static <T> T await(Future<T> future, long seconds)
            throws ExecutionException, TimeoutException, InterruptedException {
        return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    }
}
