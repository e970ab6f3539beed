package dev.rendezvous.support;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 over a bare socket to the application under test (localhost, RestAssured's port), for
 * requests no client library would send: any bytes go out as they are, and a service that does not
 * answer shows as a read timeout rather than a client error.
 *
 * <p>{@link #exchange} sends one request on a fresh connection and reads its one answer. A connection
 * from {@link #connect} stays open for a test to send in pieces, hold a long-poll or read until the
 * service closes it.
 */
public final class RawHttp implements AutoCloseable {

    private static final Duration CONNECT_WITHIN = Duration.ofSeconds(2);

    private static final ExecutorService WRITERS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "raw-http-writer");
        thread.setDaemon(true);
        return thread;
    });

    private final Socket socket;
    private final long openedAt = System.nanoTime();

    private RawHttp(Duration readTimeout) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("localhost", RestAssured.port), (int) CONNECT_WITHIN.toMillis());
        socket.setSoTimeout((int) readTimeout.toMillis());
    }

    /** A connection whose reads give up after 30 s. */
    public static RawHttp connect() throws IOException {
        return connect(Duration.ofSeconds(30));
    }

    /** A connection whose reads give up after {@code readTimeout} with a {@link SocketTimeoutException}. */
    public static RawHttp connect(Duration readTimeout) throws IOException {
        return new RawHttp(readTimeout);
    }

    /** {@link System#nanoTime()} when the connection was opened. */
    public long openedAt() {
        return openedAt;
    }

    /** Sends text as ISO-8859-1, one byte per character, so that any byte can be written. */
    public RawHttp send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHttp send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /** Everything the service sends until it closes the connection (a reset counts as a close). */
    public Closed readUntilClosed() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            for (int n; (n = in.read(chunk)) != -1; ) {
                received.write(chunk, 0, n);
            }
        } catch (SocketException reset) {
            // The answer, if any, was read before the reset.
        }
        return new Closed(
                received.toString(StandardCharsets.ISO_8859_1), Duration.ofNanos(System.nanoTime() - openedAt));
    }

    /** Reads up to the end of one answer's head. */
    public String readHead() throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int next = in.read();
            if (next < 0) {
                break;
            }
            head.append((char) next);
        }
        return head.toString();
    }

    public InputStream input() throws IOException {
        return socket.getInputStream();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Sends a request (one byte per character) on a new connection and reads its answer, within 10 s. */
    public static Answer exchange(String request) throws IOException {
        return exchange(request.getBytes(StandardCharsets.ISO_8859_1), false, Duration.ofSeconds(10));
    }

    /**
     * Sends the bytes on a new connection and reads one answer: complete by its Content-Length or its
     * chunks, or as far as it came when the service closed the connection. The bytes are written on
     * another thread while the answer is read, so that an answer the service gives before it has read
     * a large body is read before the connection is reset. {@code stopSending} shuts the sending side
     * after the bytes, as a client that gives up mid-request. No answer within {@code within} is a
     * {@code hang}; a close before any answer is {@code closed} (see {@link Answer#failure()}).
     */
    public static Answer exchange(byte[] request, boolean stopSending, Duration within) throws IOException {
        long start = System.nanoTime();
        try (RawHttp connection = connect(within)) {
            Socket socket = connection.socket;
            WRITERS.submit(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(request);
                    out.flush();
                    if (stopSending) {
                        socket.shutdownOutput();
                    }
                } catch (IOException e) {
                    // The service may answer and close before it read everything; the answer counts.
                }
            });
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                int read;
                while ((read = in.read(buffer)) != -1) {
                    received.write(buffer, 0, read);
                    Answer answer = Answer.parse(received.toByteArray(), start, false);
                    if (answer != null) {
                        return answer;
                    }
                }
            } catch (SocketTimeoutException e) {
                return Answer.none("hang", start);
            } catch (IOException e) {
                // A reset after a complete answer is fine; without one it counts as closed.
            }
            Answer answer = Answer.parse(received.toByteArray(), start, true);
            return answer != null ? answer : Answer.none("closed", start);
        }
    }

    /**
     * An answer read off a socket; a negative status means none came, and {@code failure} says why
     * ({@code hang} or {@code closed}). The body is decoded as UTF-8.
     */
    public record Answer(int status, Map<String, String> headers, String body, long millis, String failure) {

        static Answer none(String failure, long start) {
            return new Answer(-1, Map.of(), "", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), failure);
        }

        /** The answer once it is complete (or, at the end of the stream, as far as it came); else null. */
        static Answer parse(byte[] received, long start, boolean ended) {
            String text = new String(received, StandardCharsets.ISO_8859_1);
            int split = text.indexOf("\r\n\r\n");
            if (split < 0 || !text.startsWith("HTTP/1.")) {
                return null;
            }
            String[] lines = text.substring(0, split).split("\r\n");
            String[] statusLine = lines[0].split(" ");
            if (statusLine.length < 2) {
                return null;
            }
            int status = Integer.parseInt(statusLine[1]);
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(
                            lines[i].substring(0, colon).strip(),
                            lines[i].substring(colon + 1).strip());
                }
            }
            String rest = text.substring(split + 4);
            String body;
            if ("chunked".equalsIgnoreCase(headers.get("Transfer-Encoding"))) {
                body = dechunk(rest);
                if (body == null && !ended) {
                    return null;
                }
            } else if (headers.containsKey("Content-Length")) {
                int length = Integer.parseInt(headers.get("Content-Length"));
                if (rest.length() < length && !ended) {
                    return null;
                }
                body = rest.substring(0, Math.min(length, rest.length()));
            } else if (status == 204 || status == 304 || ended) {
                body = rest;
            } else {
                return null;
            }
            byte[] bytes = (body == null ? rest : body).getBytes(StandardCharsets.ISO_8859_1);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            return new Answer(status, headers, new String(bytes, StandardCharsets.UTF_8), millis, null);
        }

        /** A chunked body put together, or null while its last chunk has not come. */
        static String dechunk(String chunked) {
            StringBuilder body = new StringBuilder();
            int at = 0;
            while (true) {
                int end = chunked.indexOf("\r\n", at);
                if (end < 0) {
                    return null;
                }
                int size = Integer.parseInt(
                        chunked.substring(at, end).split(";")[0].strip(), 16);
                if (size == 0) {
                    return body.toString();
                }
                if (chunked.length() < end + 2 + size + 2) {
                    return null;
                }
                body.append(chunked, end + 2, end + 2 + size);
                at = end + 2 + size + 2;
            }
        }

        public String header(String name) {
            return headers.get(name);
        }

        public boolean isProblem() {
            String type = headers.get("Content-Type");
            return type != null && type.startsWith(Api.PROBLEM);
        }

        /** The status, media type, time and (shortened) body, or why there was no answer. */
        public String describe() {
            if (status < 0) {
                return failure + " after " + millis + " ms";
            }
            return status + " " + headers.getOrDefault("Content-Type", "(no Content-Type)") + " in " + millis + " ms: "
                    + printable(body, 400);
        }

        /** An RFC 9457 problem with this status and instance that names nothing internal. */
        public void assertProblem(int expectedStatus, String instance) {
            assertThat(describe(), status, equalTo(expectedStatus));
            assertThat(headers.get("Content-Type"), containsString(Api.PROBLEM));
            JsonPath problem = JsonPath.from(body);
            assertThat(problem.getInt("status"), equalTo(expectedStatus));
            assertThat(problem.getString("type"), notNullValue());
            assertThat(problem.getString("title"), notNullValue());
            assertThat(problem.getString("detail"), notNullValue());
            assertThat(problem.getString("instance"), equalTo(instance));
            Api.assertNoInternals(body);
        }
    }

    /** What arrived before the service closed the connection, and how long after it opened. */
    public record Closed(String text, Duration after) {

        public int status() {
            return text.isEmpty() ? -1 : Integer.parseInt(text.split(" ", 3)[1]);
        }

        public String body() {
            return text.substring(text.indexOf("\r\n\r\n") + 4);
        }

        /** A problem document with this status that closes the connection and names nothing internal. */
        public void assertProblem(int expected) {
            assertThat(text, status(), equalTo(expected));
            String head = text.substring(0, text.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
            assertThat(head, containsString("content-type: " + Api.PROBLEM));
            assertThat(head, containsString("connection: close"));
            JsonPath problem = JsonPath.from(body());
            assertThat(problem.getInt("status"), equalTo(expected));
            assertThat(problem.getString("type"), notNullValue());
            assertThat(problem.getString("title"), notNullValue());
            assertThat(problem.getString("detail"), notNullValue());
            for (String internal : new String[] {"Exception", "java.", "io.netty", "io.vertx", "dev.rendezvous"}) {
                assertThat(body(), not(containsString(internal)));
            }
        }
    }

    /** Text shortened to about {@code limit} characters, control characters and CRLFs shown escaped. */
    public static String printable(String text, int limit) {
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < text.length() && shown.length() < limit; i++) {
            char c = text.charAt(i);
            if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                shown.append("\\r\\n");
                i++;
            } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                shown.append(String.format("\\x%02x", (int) c));
            } else {
                shown.append(c);
            }
        }
        if (shown.length() >= limit) {
            shown.append("... (").append(text.length()).append(" chars)");
        }
        return shown.toString();
    }
}
