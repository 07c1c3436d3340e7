package io.github.keycloakdrchrono.sandbox;

import java.security.SecureRandom;

/** DrChrono's token shape: 30 random alphanumerics, which is also what codes and sign-in nonces look like here. */
final class OpaqueTokens {

    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final int LENGTH = 30;
    private static final SecureRandom RANDOM = new SecureRandom();

    private OpaqueTokens() {
    }

    static String next() {
        char[] token = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            token[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(token);
    }
}
