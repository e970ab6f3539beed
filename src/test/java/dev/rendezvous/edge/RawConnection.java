package dev.rendezvous.edge;

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
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A socket to the service under test that sends any bytes and reads until the service closes it. */
final class RawConnection implements AutoCloseable {

    private final Socket socket;
    private final long openedAt = System.nanoTime();

    RawConnection() throws IOException {
        socket = new Socket("localhost", RestAssured.port);
        socket.setSoTimeout(30_000);
    }

    long openedAt() {
        return openedAt;
    }

    RawConnection send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawConnection send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /** Everything the service sends until it closes the connection (a reset counts as a close). */
    Closed readUntilClosed() throws IOException {
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
    String readHead() throws IOException {
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

    InputStream input() throws IOException {
        return socket.getInputStream();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** What arrived before the close, and how long after the connection opened it came. */
    record Closed(String text, Duration after) {

        int status() {
            return text.isEmpty() ? -1 : Integer.parseInt(text.split(" ", 3)[1]);
        }

        String body() {
            return text.substring(text.indexOf("\r\n\r\n") + 4);
        }

        /** A problem document with this status that closes the connection and names nothing internal. */
        void assertProblem(int expected) {
            assertThat(text, status(), equalTo(expected));
            String head = text.substring(0, text.indexOf("\r\n\r\n")).toLowerCase();
            assertThat(head, containsString("content-type: application/problem+json"));
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
}
