package dev.rendezvous.api.malformed;

import dev.rendezvous.support.RawHttp;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One malformed request of the barrage, as the bytes to send.
 *
 * @param family the kind of input, as a failure names it ({@code numbers}, {@code encoded-ids}...)
 * @param summary the request as a reader would write it
 * @param codecLevel malformed HTTP that the codec may refuse before the service sees it: a close
 *     without an answer is allowed, and the answer need not be a problem document
 * @param closesOutput the client stops sending after the bytes, as one that gives up mid-request
 * @param expected the status the answer must have; 0 for any 4xx, and 202 for a malformed
 *     {@code Prefer} that must be ignored
 */
record Attempt(String family, String summary, byte[] bytes, boolean codecLevel, boolean closesOutput, int expected) {

    /** A request from its parts; a Content-Length is added for a body unless a header frames it. */
    static Attempt of(String family, String method, String target, List<String> headers, byte[] body) {
        StringBuilder head =
                new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        head.append("Host: localhost\r\n");
        boolean framed = false;
        for (String header : headers) {
            head.append(header).append("\r\n");
            String name = header.toLowerCase(Locale.ROOT);
            framed |= name.startsWith("content-length:") || name.startsWith("transfer-encoding:");
        }
        if (body != null && !framed) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        byte[] start = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] bytes = body == null ? start : concat(start, body);
        String summary = method + " " + target + " " + headers
                + (body == null ? "" : " body(" + body.length + "): " + new String(body, StandardCharsets.UTF_8));
        return new Attempt(family, summary, bytes, false, false, 0);
    }

    /** Bytes sent as they are, one byte per character. */
    static Attempt raw(String family, String request) {
        return raw(family, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    static Attempt raw(String family, byte[] request) {
        return new Attempt(
                family, "raw: " + new String(request, StandardCharsets.ISO_8859_1), request, false, false, 0);
    }

    /** Malformed HTTP that the codec may refuse before the service sees it. */
    Attempt byCodec() {
        return new Attempt(family, summary, bytes, true, closesOutput, expected);
    }

    /** Shuts the sending side after the bytes, as a client that gives up mid-request. */
    Attempt stopSending() {
        return new Attempt(family, summary, bytes, codecLevel, true, expected);
    }

    Attempt expecting(int status) {
        return new Attempt(family, summary, bytes, codecLevel, closesOutput, status);
    }

    /** The request for a failure message: its family, then the request, long inputs shortened. */
    String describe() {
        return "[" + family + "] " + RawHttp.printable(summary, 400);
    }

    /** The request in a line short enough for a test report. */
    String title() {
        return RawHttp.printable(summary, 120);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
