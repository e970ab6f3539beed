package dev.rendezvous.packaged;

import static dev.rendezvous.packaged.Answers.awaitWaiters;
import static dev.rendezvous.packaged.Answers.binaryBody;
import static dev.rendezvous.packaged.Answers.joinAll;
import static dev.rendezvous.packaged.Answers.uniqueId;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rendezvous.support.ReplicaClient;
import dev.rendezvous.support.ReplicaClient.Answer;
import dev.rendezvous.support.ReplicaClient.Created;
import dev.rendezvous.support.ReplicaPair;
import dev.rendezvous.support.TwoReplicas;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many clients and workers on two replicas at once, every answer recorded, then the history judged
 * as a whole: per correlation exactly one outcome wins, every waiter sees that outcome, and what a
 * reader finds afterwards is that outcome too.
 */
class HistoryIT extends TwoReplicas {

    private static final Logger LOG = Logger.getLogger(HistoryIT.class);

    private static final int CORRELATIONS = 100;
    private static final int WAITERS = 3;
    private static final int WORKERS = 3;
    /** One correlation in ten also gets a cancel racing its workers. */
    private static final int CANCEL_EVERY = 10;

    @RegisterExtension
    static final ReplicaPair PAIR = ReplicaPair.withRedis();

    HistoryIT() {
        super(PAIR);
    }

    @Test
    void settlesEveryCorrelationOnceAndShowsEveryWaiterThatOneOutcome() {
        long seed = Long.getLong("history.seed", System.nanoTime());
        LOG.infof("seed %d (repeat with -Dhistory.seed=%d)", seed, seed);
        Random random = new Random(seed);
        List<CompletableFuture<Created>> creating = new ArrayList<>();
        for (int i = 0; i < CORRELATIONS; i++) {
            ReplicaClient creator = i % 2 == 0 ? a : b;
            creating.add(CompletableFuture.supplyAsync(() -> creator.created(uniqueId("history"), 120)));
        }
        List<History> histories = new ArrayList<>();
        int waitersOnA = 0;
        for (CompletableFuture<Created> created : creating) {
            History history = new History(created.join());
            for (int j = 0; j < WAITERS; j++) {
                ReplicaClient replica = random.nextBoolean() ? a : b;
                waitersOnA += replica == a ? 1 : 0;
                history.waiters.add(replica.result(history.created.id(), 60));
            }
            histories.add(history);
        }
        awaitWaiters(a, waitersOnA);
        awaitWaiters(b, CORRELATIONS * WAITERS - waitersOnA);

        List<Runnable> headStart = new ArrayList<>();
        List<Runnable> moves = new ArrayList<>();
        for (int i = 0; i < CORRELATIONS; i++) {
            History history = histories.get(i);
            for (int j = 0; j < WORKERS; j++) {
                ReplicaClient replica = random.nextBoolean() ? a : b;
                byte[] body = binaryBody(history.created.id() + " worker " + j);
                String contentType = "application/x-worker-" + j;
                Delivery delivery = new Delivery(body, contentType);
                history.deliveries.add(delivery);
                moves.add(() -> delivery.answer =
                        replica.deliver(history.created.id(), history.created.token(), body, contentType));
            }
            if (i % CANCEL_EVERY == 0) {
                ReplicaClient replica = random.nextBoolean() ? a : b;
                Runnable cancel = () -> history.cancel = replica.cancel(history.created.id());
                // Half of the cancels set off first, so that both kinds of winner occur in every run.
                (i % (2 * CANCEL_EVERY) == 0 ? headStart : moves).add(cancel);
            }
        }
        Collections.shuffle(moves, random);
        headStart.forEach(Runnable::run);
        moves.forEach(Runnable::run);

        List<String> violations = new ArrayList<>();
        int cancelsWon = 0;
        for (History history : histories) {
            Outcome winner = history.judge(violations);
            if (winner == null) {
                continue;
            }
            cancelsWon += winner.cancelled() ? 1 : 0;
            List<Answer> seen = joinAll(history.waiters);
            for (Answer answer : seen) {
                if (!winner.matches(answer)) {
                    violations.add(history.created.id() + ": a waiter saw " + answer + " but " + winner + " won");
                }
            }
            for (Supplier<Answer> read : List.<Supplier<Answer>>of(
                    () -> a.result(history.created.id(), 0).join(),
                    () -> b.result(history.created.id(), 0).join())) {
                Answer later = read.get();
                if (!winner.matches(later)) {
                    violations.add(history.created.id() + ": read afterwards " + later + " but " + winner + " won");
                }
            }
            Answer status =
                    (random.nextBoolean() ? a : b).status(history.created.id()).join();
            String state = status.json().path("state").asText();
            if (status.status() != 200 || !state.equals(winner.cancelled() ? "cancelled" : "completed")) {
                violations.add(history.created.id() + ": status afterwards " + status + " but " + winner + " won");
            }
        }
        LOG.infof(
                "%d correlations, %d waiters, %d deliveries, %d cancels (%d won); %d violations",
                CORRELATIONS,
                CORRELATIONS * WAITERS,
                CORRELATIONS * WORKERS,
                (CORRELATIONS + CANCEL_EVERY - 1) / CANCEL_EVERY,
                cancelsWon,
                violations.size());
        assertEquals(List.of(), violations, "seed " + seed + " (repeat with -Dhistory.seed=" + seed + ")");
    }

    /** Everything that happened to one correlation. */
    private static final class History {

        final Created created;
        final List<CompletableFuture<Answer>> waiters = new ArrayList<>();
        final List<Delivery> deliveries = new ArrayList<>();
        volatile CompletableFuture<Answer> cancel;

        History(Created created) {
            this.created = created;
        }

        /**
         * The one outcome that won, or null after recording why there is not exactly one: one
         * delivery 204 and the rest 409 (the cancel too), or the cancel 204 and every delivery 410.
         */
        Outcome judge(List<String> violations) {
            List<Delivery> stored = new ArrayList<>();
            List<String> answers = new ArrayList<>();
            for (Delivery delivery : deliveries) {
                Answer answer = delivery.answer.join();
                answers.add(answer.toString());
                if (answer.status() == 204) {
                    stored.add(delivery);
                }
            }
            Answer cancelled = cancel == null ? null : cancel.join();
            if (cancelled != null) {
                answers.add("cancel: " + cancelled);
            }
            boolean cancelWon = cancelled != null && cancelled.status() == 204;
            int expectedLoss = cancelWon ? 410 : 409;
            boolean lossesRight = deliveries.stream()
                            .filter(delivery -> !stored.contains(delivery))
                            .allMatch(delivery -> delivery.answer.join().status() == expectedLoss)
                    && (cancelled == null || cancelWon || cancelled.status() == 409);
            if (stored.size() + (cancelWon ? 1 : 0) != 1 || !lossesRight) {
                violations.add(created.id() + ": not exactly one winner: " + answers);
                return null;
            }
            return cancelWon ? Outcome.CANCELLED : new Outcome(stored.get(0).body, stored.get(0).contentType);
        }
    }

    /** One worker's attempt and the answer it got. */
    private static final class Delivery {

        final byte[] body;
        final String contentType;
        volatile CompletableFuture<Answer> answer;

        Delivery(byte[] body, String contentType) {
            this.body = body;
            this.contentType = contentType;
        }
    }

    /** The winning outcome of a correlation: a result, or the cancel (no body). */
    private record Outcome(byte[] body, String contentType) {

        static final Outcome CANCELLED = new Outcome(null, null);

        boolean cancelled() {
            return body == null;
        }

        boolean matches(Answer answer) {
            if (cancelled()) {
                return answer.status() == 410
                        && answer.contentType() != null
                        && answer.contentType().startsWith(Answers.PROBLEM);
            }
            return answer.status() == 200
                    && contentType.equals(answer.contentType())
                    && Arrays.equals(body, answer.body());
        }

        @Override
        public String toString() {
            return cancelled() ? "the cancel" : "the result of type " + contentType;
        }
    }
}
