package dev.rendezvous.correlation.rest;

import java.time.Duration;

/**
 * How long a read may wait: the {@code wait} query parameter wins; else the RFC 7240 {@code Prefer:
 * wait=N} preference, clamped to {@code max-wait} and echoed in {@code Preference-Applied}. As a
 * mere preference, a malformed one is ignored rather than refused.
 */
public record WaitPreference(Duration duration, String applied) {

    public static final WaitPreference NONE = new WaitPreference(Duration.ZERO, null);

    public static WaitPreference of(String waitParameter, String prefer, Duration max) {
        if (waitParameter != null) {
            return new WaitPreference(Inputs.waitSeconds(waitParameter, max), null);
        }
        if (prefer == null) {
            return NONE;
        }
        for (String preference : prefer.split(",")) {
            String[] nameAndValue = preference.split(";", 2)[0].split("=", 2);
            if (nameAndValue.length == 2 && nameAndValue[0].strip().equalsIgnoreCase("wait")) {
                return parse(unquote(nameAndValue[1].strip()), max);
            }
        }
        return NONE;
    }

    private static WaitPreference parse(String seconds, Duration max) {
        if (seconds.isEmpty() || seconds.length() > 18 || !Inputs.isAsciiDigits(seconds)) {
            return NONE;
        }
        long clamped = Math.min(Long.parseLong(seconds), max.toSeconds());
        return new WaitPreference(Duration.ofSeconds(clamped), "wait=" + clamped);
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1)
                : value;
    }
}
