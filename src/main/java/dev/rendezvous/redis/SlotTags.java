package dev.rendezvous.redis;

import java.nio.charset.StandardCharsets;

/**
 * Hash tags that land on evenly spaced Redis Cluster slots. A cluster splits its 16,384 slots into
 * contiguous ranges, one per primary; tags on every {@code 16384 / count}-th slot therefore give each
 * primary the share of tags that it has of slots, whatever the number of primaries, where tags taken
 * at random would leave some primaries a few percent more than others.
 */
final class SlotTags {

    static final int SLOTS = 16_384;
    private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

    private SlotTags() {}

    /**
     * {@code count} tags (a power of two up to 1024), the {@code i}-th in the slots from
     * {@code i * 16384 / count}: the first of the shortest words of digits and lower-case letters
     * that hashes there. The same on every replica, so every replica names the same keys.
     */
    static String[] evenlySpread(int count) {
        if (count < 1 || count > 1024 || Integer.bitCount(count) != 1) {
            throw new IllegalArgumentException("tag count must be a power of two up to 1024: " + count);
        }
        String[] firstBySlot = new String[SLOTS];
        int radix = ALPHABET.length();
        for (int length = 1; length <= 3; length++) {
            int words = (int) Math.pow(radix, length);
            for (int word = 0; word < words; word++) {
                String tag = word(word, length);
                int slot = slot(tag);
                if (firstBySlot[slot] == null) {
                    firstBySlot[slot] = tag;
                }
            }
        }
        int spacing = SLOTS / count;
        String[] tags = new String[count];
        for (int i = 0; i < count; i++) {
            for (int slot = i * spacing; tags[i] == null && slot < (i + 1) * spacing; slot++) {
                tags[i] = firstBySlot[slot];
            }
            if (tags[i] == null) {
                throw new IllegalStateException("no tag of three characters hashes to slots " + i * spacing + "+");
            }
        }
        return tags;
    }

    /** The cluster slot of a key without braces: CRC16 (XMODEM) of its bytes, modulo 16,384. */
    static int slot(String key) {
        int crc = 0;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            crc ^= (b & 0xFF) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            crc &= 0xFFFF;
        }
        return crc % SLOTS;
    }

    private static String word(int number, int length) {
        char[] chars = new char[length];
        for (int i = length - 1; i >= 0; i--) {
            chars[i] = ALPHABET.charAt(number % ALPHABET.length());
            number /= ALPHABET.length();
        }
        return new String(chars);
    }
}
