package dev.rendezvous.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal RESP2 client over a plain socket, so that tests can drive and inspect a Redis server
 * out of band, without going through (or depending on) the Redis client the service itself uses.
 * One command per connection: a test that pauses Redis or kills its clients never leaves a pooled
 * connection in a doubtful state.
 */
public final class Resp {

    private Resp() {}

    /**
     * Sends one command to {@code 127.0.0.1:port} and returns its reply: a {@link String} for simple
     * and bulk strings, a {@link Long} for integers, a {@link List} for arrays and {@code null} for
     * nil replies.
     *
     * @throws RedisServer.ErrorReply when Redis answers with an error
     * @throws UncheckedIOException when the connection fails or the reply does not come in time
     */
    public static Object command(int port, Duration timeout, String... args) {
        int millis = Math.toIntExact(Math.max(1, timeout.toMillis()));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), millis);
            socket.setSoTimeout(millis);
            OutputStream out = socket.getOutputStream();
            out.write(encode(args));
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException("Redis on port " + port + " did not answer " + String.join(" ", args), e);
        }
    }

    public static byte[] encode(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        writeAscii(bytes, "*" + args.length + "\r\n");
        for (String arg : args) {
            byte[] value = arg.getBytes(StandardCharsets.UTF_8);
            writeAscii(bytes, "$" + value.length + "\r\n");
            bytes.writeBytes(value);
            writeAscii(bytes, "\r\n");
        }
        return bytes.toByteArray();
    }

    public static Object read(InputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("connection closed before a reply");
        }
        String line = readLine(in);
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new RedisServer.ErrorReply(line);
            case ':':
                return Long.parseLong(line);
            case '$':
                return readBulk(in, Integer.parseInt(line));
            case '*':
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(readElement(in));
                }
                return items;
            default:
                throw new IOException("unexpected RESP type '" + (char) type + "' followed by " + line);
        }
    }

    /** An array element: an error inside an array (e.g. from EXEC) is kept as a value, not thrown. */
    private static Object readElement(InputStream in) throws IOException {
        try {
            return read(in);
        } catch (RedisServer.ErrorReply e) {
            return e;
        }
    }

    private static String readBulk(InputStream in, int length) throws IOException {
        if (length < 0) {
            return null;
        }
        byte[] value = in.readNBytes(length);
        if (value.length < length || in.read() != '\r' || in.read() != '\n') {
            throw new EOFException("bulk string cut short");
        }
        return new String(value, StandardCharsets.UTF_8);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int next = in.read();
            if (next < 0) {
                throw new EOFException("connection closed inside a reply");
            }
            if (previous == '\r' && next == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(next);
            previous = next;
        }
    }

    private static void writeAscii(ByteArrayOutputStream bytes, String text) {
        bytes.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }
}
