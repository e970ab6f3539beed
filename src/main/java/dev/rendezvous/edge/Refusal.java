package dev.rendezvous.edge;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.Iterator;

/** Why the edge turns a connection away, as the problem it answers with. */
record Refusal(int status, String slug, String title, String detail) {

    static final Refusal HEAD_TIMEOUT = new Refusal(
            408,
            "request-timeout",
            "Request head not received in time",
            "A request head must arrive in full within header-timeout; the connection is closed.");
    static final Refusal LINE_TOO_LONG = new Refusal(
            414, "uri-too-long", "Request line too long", "The request line is longer than this service reads.");
    static final Refusal HEADERS_TOO_LARGE = new Refusal(
            431,
            "headers-too-large",
            "Request headers too large",
            "The request headers are larger than this service reads.");
    static final Refusal MALFORMED = new Refusal(
            400,
            "malformed-http",
            "Malformed HTTP request",
            "The request line, a header or the framing is not valid HTTP/1.1.");
    static final Refusal VERSION = new Refusal(
            400,
            "http-version-not-supported",
            "HTTP version not supported",
            "This port speaks HTTP/1.1 and HTTP/1.0; HTTP/2 is offered over TLS only.");
    static final Refusal TARGET = new Refusal(
            400,
            "malformed-target",
            "Malformed request target",
            "The request target holds a control character, or a '%' that starts no escape of two hex digits.");
    static final Refusal HOST = new Refusal(
            400, "invalid-host", "Invalid Host header", "An HTTP/1.1 request carries exactly one Host header.");

    /** What is wrong with a decoded request head, or null when it may go on to the router. */
    static Refusal of(HttpRequest head) {
        if (head.decoderResult().isFailure()) {
            Throwable cause = head.decoderResult().cause();
            if (cause instanceof TooLongHttpLineException) {
                return LINE_TOO_LONG;
            }
            return cause instanceof TooLongHttpHeaderException ? HEADERS_TOO_LARGE : MALFORMED;
        }
        // Vert.x knows these two by identity; any other version reached the router as null (and an
        // access-log NullPointerException).
        HttpVersion version = head.protocolVersion();
        if (version != HttpVersion.HTTP_1_1 && version != HttpVersion.HTTP_1_0) {
            return "HTTP".equals(version.protocolName()) ? VERSION : MALFORMED;
        }
        int hosts = hosts(head);
        if (hosts > 1 || (hosts == 0 && version == HttpVersion.HTTP_1_1)) {
            return HOST;
        }
        // Vert.x refuses such a target further on, with a bare 400.
        return readableTarget(head.uri()) ? null : TARGET;
    }

    /** No control characters, and every '%' starts an escape of two hexadecimal digits. */
    private static boolean readableTarget(String target) {
        int length = target.length();
        for (int i = 0; i < length; i++) {
            char c = target.charAt(i);
            if (c < 0x21 || c == 0x7f) {
                return false;
            }
            if (c == '%' && (i + 2 >= length || !isHex(target.charAt(i + 1)) || !isHex(target.charAt(i + 2)))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** Counts Host headers up to two, without listing them. */
    private static int hosts(HttpRequest head) {
        Iterator<? extends CharSequence> values = head.headers().valueCharSequenceIterator(HttpHeaderNames.HOST);
        int count = 0;
        while (count < 2 && values.hasNext()) {
            values.next();
            count++;
        }
        return count;
    }
}
