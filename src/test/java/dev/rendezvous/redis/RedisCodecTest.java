package dev.rendezvous.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisCodecTest {

    @Test
    void readsAWakeUpThatCarriesOnlyTheId() {
        RedisCodec.Announcement announced = RedisCodec.announcement(bytes("order:42"));

        assertEquals("order:42", announced.id());
        assertNull(announced.fields());
    }

    @Test
    void readsTheSettledHashOfAWakeUpByteForByte() {
        // Every byte value, colons, newlines and digits included, as the settle script would send them.
        byte[] body = new byte[256];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        byte[] message =
                announcement("job-7", "s", bytes("completed"), "b", body, "ct", bytes("+a:b\n12:x"), "wid", bytes(""));

        RedisCodec.Announcement announced = RedisCodec.announcement(message);

        assertEquals("job-7", announced.id());
        Map<String, byte[]> fields = announced.fields();
        assertEquals(4, fields.size());
        assertArrayEquals(bytes("completed"), fields.get("s"));
        assertArrayEquals(body, fields.get("b"));
        assertArrayEquals(bytes("+a:b\n12:x"), fields.get("ct"));
        assertArrayEquals(new byte[0], fields.get("wid"));
    }

    /** The settle script's format: the ID, a newline, then each name and value as {@code <length>:<bytes>}. */
    private static byte[] announcement(String id, Object... namesAndValues) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(id + "\n"));
        for (Object part : namesAndValues) {
            byte[] value = part instanceof String name ? bytes(name) : (byte[]) part;
            out.writeBytes(bytes(value.length + ":"));
            out.writeBytes(value);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
