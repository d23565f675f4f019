package io.github.fer4j.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The secret a client shows to use a server that is not open: as {@code Authorization: Bearer <token>}, as
 * {@code ?token=<token>} once (the page then keeps a session cookie), or as that cookie. The token itself is kept only as
 * its SHA-256 digest; every comparison is of two digests of the same length with {@link MessageDigest#isEqual}, which
 * takes the same time wherever they differ. The session cookie holds HMAC-SHA256(token, "fer4j session"), not the token.
 */
final class AccessToken {
    /** Letters, digits and {@code . _ ~ -}: what goes into a header, a query and a cookie without escaping. */
    static final Pattern FORM = Pattern.compile("[A-Za-z0-9._~-]{16,512}");
    static final String COOKIE = "fer4j_session";
    /** The random bytes of a generated token (48 hex digits, as Jupyter's). */
    static final int GENERATED_BYTES = 24;

    private final byte[] tokenDigest;
    private final String session;
    private final byte[] sessionDigest;

    AccessToken(String token) {
        if (!FORM.matcher(token).matches()) {
            throw new IllegalArgumentException("a token is 16 to 512 letters, digits, '.', '_', '~' or '-'");
        }
        this.tokenDigest = sha256(token);
        this.session = hmac(token, "fer4j session");
        this.sessionDigest = sha256(session);
    }

    /** A new random token from the system's strong random source. */
    static String generate() {
        byte[] bytes = new byte[GENERATED_BYTES];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Whether {@code presented} (a query parameter's value; null when absent) is the token. */
    boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(tokenDigest, sha256(presented));
    }

    /** Whether an Authorization header (null when absent) is {@code Bearer <token>}. */
    boolean matchesBearer(String authorization) {
        if (authorization == null || authorization.length() < 7 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return matches(authorization.substring(7).strip());
    }

    /** Whether a session cookie's value (null when absent) is the one this token's page was given. */
    boolean matchesSession(String cookie) {
        return cookie != null && MessageDigest.isEqual(sessionDigest, sha256(cookie));
    }

    /** The session cookie's value: derived from the token, so that it holds for as long as the token does. */
    String session() {
        return session;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private static String hmac(String key, String message) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("every Java has HmacSHA256", e);
        }
    }

    @Override
    public String toString() {
        return "AccessToken[hidden]";
    }
}
