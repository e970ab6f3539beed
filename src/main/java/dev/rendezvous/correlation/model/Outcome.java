package dev.rendezvous.correlation.model;

import java.util.Arrays;
import java.util.Objects;

/** What a worker reported: a result body or a failure. */
public sealed interface Outcome {

    /** Bytes this outcome occupies in the store, counted against {@code max-stored-bytes}. */
    long size();

    /** Whether a worker's repeat carries exactly this outcome, so that it can be acknowledged again. */
    boolean sameAs(Outcome other);

    /** A result body exactly as the worker sent it; {@code contentType} is null when none was given. */
    record Result(byte[] body, String contentType) implements Outcome {

        public Result {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public long size() {
            return body.length + (contentType == null ? 0 : contentType.length());
        }

        @Override
        public boolean sameAs(Outcome other) {
            return other instanceof Result that
                    && Arrays.equals(body, that.body)
                    && Objects.equals(contentType, that.contentType);
        }
    }

    /** A failure report; {@code status} is the HTTP status waiters get. */
    record Failure(int status, String title, String detail) implements Outcome {

        @Override
        public long size() {
            return 4L + length(title) + length(detail);
        }

        @Override
        public boolean sameAs(Outcome other) {
            return equals(other);
        }

        private static int length(String text) {
            return text == null ? 0 : text.length();
        }
    }
}
