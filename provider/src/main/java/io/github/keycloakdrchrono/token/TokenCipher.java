package io.github.keycloakdrchrono.token;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import org.keycloak.crypto.Algorithm;
import org.keycloak.crypto.KeyUse;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Encrypts stored DrChrono tokens with the realm's active AES key ({@code aes-generated}, which every realm has),
 * AES-GCM with a fresh nonce. The key id travels with the ciphertext, so after a key rotation tokens written
 * under the old key stay readable as long as that key is kept (enabled or passive), and are rewritten under the
 * new key at their next refresh.
 *
 * <p>The associated data binds a ciphertext to one realm, provider alias and DrChrono user, so a value copied into
 * another user's row does not decrypt.
 *
 * <p>Format: {@code drchrono-enc:v1:<kid>:<base64url nonce>:<base64url ciphertext+tag>}.
 */
public final class TokenCipher {

    static final String PREFIX = "drchrono-enc:v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private TokenCipher() {
    }

    public static boolean isEncrypted(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    /** @param binding what the ciphertext belongs to; the same value must be given to {@link #decrypt} */
    public static String encrypt(KeycloakSession session, RealmModel realm, String binding, String plaintext) {
        KeyWrapper key = session.keys().getActiveKey(realm, KeyUse.ENC, Algorithm.AES);
        if (key == null || key.getSecretKey() == null) {
            throw new TokenUnavailableException(TokenUnavailableException.Kind.CONFIGURATION,
                    "realm " + realm.getName() + " has no active AES key to encrypt DrChrono tokens with", null);
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, key.getSecretKey(), nonce, binding)
                    .doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return PREFIX + key.getKid() + ":" + B64.encodeToString(nonce) + ":" + B64.encodeToString(sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * @throws TokenUnavailableException of kind UNREADABLE when the key is gone or the value was tampered with or
     *                                   moved; only a new DrChrono login repairs that
     */
    public static String decrypt(KeycloakSession session, RealmModel realm, String binding, String stored) {
        String[] parts = stored.substring(PREFIX.length()).split(":");
        if (parts.length != 3) {
            throw unreadable("malformed envelope");
        }
        KeyWrapper key = session.keys().getKey(realm, parts[0], KeyUse.ENC, Algorithm.AES);
        if (key == null || key.getSecretKey() == null) {
            throw unreadable("AES key " + parts[0] + " no longer exists in realm " + realm.getName());
        }
        try {
            return new String(cipher(Cipher.DECRYPT_MODE, key.getSecretKey(), B64D.decode(parts[1]), binding)
                    .doFinal(B64D.decode(parts[2])), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw unreadable("does not decrypt (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Looking up the JCA provider is a measurable part of a hand-out; a Cipher is reusable after init. */
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    });

    private static Cipher cipher(int mode, SecretKey key, byte[] nonce, String binding)
            throws GeneralSecurityException {
        Cipher cipher = CIPHERS.get();
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(binding.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private static TokenUnavailableException unreadable(String detail) {
        return new TokenUnavailableException(TokenUnavailableException.Kind.UNREADABLE,
                "stored DrChrono token " + detail, null);
    }
}
