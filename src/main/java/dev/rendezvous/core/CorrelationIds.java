package dev.rendezvous.core;

import java.util.regex.Pattern;

/** Correlation IDs: client-chosen ones are checked, server-chosen ones carry 128 random bits. */
public final class CorrelationIds {

    private static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9._~:-]{1,128}");

    private CorrelationIds() {}

    /** A fresh unguessable ID: 128 random bits, URL-safe. */
    public static String generate() {
        return CallbackToken.randomUrlSafe(16);
    }

    /** Whether {@code id} is a valid ID; {@code .} and {@code ..} are not, as they would mean path steps. */
    public static boolean isValid(String id) {
        return id != null && SYNTAX.matcher(id).matches() && !id.equals(".") && !id.equals("..");
    }
}
