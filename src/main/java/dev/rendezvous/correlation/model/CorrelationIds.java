package dev.rendezvous.correlation.model;

/** Correlation IDs: client-chosen ones are checked, server-chosen ones carry 128 random bits. */
public final class CorrelationIds {

    private static final int MAX_LENGTH = 128;

    private CorrelationIds() {}

    /** A fresh unguessable ID: 128 random bits, URL-safe. */
    public static String generate() {
        return CallbackToken.randomUrlSafe(16);
    }

    /**
     * Whether {@code id} is a valid ID: 1 to 128 of {@code A-Z a-z 0-9 . _ ~ : -}; {@code .} and
     * {@code ..} are not, as they would mean path steps. Checked on every request, hence no regex.
     */
    public static boolean isValid(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH || id.equals(".") || id.equals("..")) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (!isIdCharacter(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIdCharacter(char c) {
        return (c >= 'A' && c <= 'Z')
                || (c >= 'a' && c <= 'z')
                || (c >= '0' && c <= '9')
                || c == '.'
                || c == '_'
                || c == '~'
                || c == ':'
                || c == '-';
    }
}
