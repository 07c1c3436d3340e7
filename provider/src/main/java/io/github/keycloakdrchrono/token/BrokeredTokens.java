package io.github.keycloakdrchrono.token;

import java.sql.SQLException;
import java.util.List;
import java.util.function.Supplier;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.PessimisticLockException;

import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.cache.UserCache;
import org.keycloak.models.jpa.entities.FederatedIdentityEntity;
import org.keycloak.models.utils.KeycloakModelUtils;

import io.github.keycloakdrchrono.DrChronoMetrics;
import io.github.keycloakdrchrono.drchrono.DrChronoClient;
import io.github.keycloakdrchrono.drchrono.DrChronoException;
import io.github.keycloakdrchrono.token.TokenUnavailableException.Kind;

/**
 * Hands out a user's DrChrono access token, refreshing it first when it is within the margin of expiry.
 *
 * <p>DrChrono may rotate refresh tokens: each refresh kills the one used, so two concurrent refreshes with the same
 * refresh token leave one caller with {@code invalid_grant} and, worse, may leave Keycloak holding a dead token.
 * A refresh therefore runs in its own transaction holding a row lock ({@code SELECT ... FOR UPDATE}) on the user's
 * link: every node that shares the database queues there, re-reads the token under the lock, and finds it already
 * fresh. The new pair is committed before the lock is released and before any caller sees the new access token.
 *
 * <p>Nothing is lost when DrChrono fails: a refresh that does not succeed writes nothing, except that
 * {@code invalid_grant} on the current refresh token (read under the lock, so no other node can have replaced it)
 * marks the link as needing the user to sign in with DrChrono again.
 */
public final class BrokeredTokens {

    private static final Logger LOG = Logger.getLogger(BrokeredTokens.class);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final String alias;
    private final Supplier<DrChronoClient> client;
    private final long marginSeconds;
    private final long lockWaitMillis;

    /**
     * @param client         built only when a refresh is due: most hand-outs never talk to DrChrono
     * @param lockWaitMillis how long a caller keeps waiting for another's refresh of the same token: the longest a
     *                       refresh call to DrChrono may take, plus time to commit
     */
    public BrokeredTokens(KeycloakSession session, RealmModel realm, String alias, Supplier<DrChronoClient> client,
            long marginSeconds, long lockWaitMillis) {
        this.session = session;
        this.realm = realm;
        this.alias = alias;
        this.client = client;
        this.marginSeconds = marginSeconds;
        this.lockWaitMillis = lockWaitMillis;
    }

    /** What ties a stored ciphertext to its row: realm, provider alias and DrChrono user id. */
    public static String binding(RealmModel realm, String alias, String drChronoUserId) {
        return "drchrono-token|" + realm.getId() + "|" + alias + "|" + drChronoUserId;
    }

    /** The value to store on the link: the token encrypted under the realm's active AES key. */
    public static String seal(KeycloakSession session, RealmModel realm, String alias, String drChronoUserId,
            StoredToken token) {
        return TokenCipher.encrypt(session, realm, binding(realm, alias, drChronoUserId), token.toJson());
    }

    /**
     * A token that is valid for at least the margin, refreshed and persisted when needed.
     *
     * @throws TokenUnavailableException when there is none to give; the stored token is unchanged unless DrChrono
     *                                   said the refresh token is dead
     */
    public StoredToken fresh(UserModel user) {
        FederatedIdentityModel link = session.users().getFederatedIdentity(realm, user, alias);
        return fresh(link, () -> user);
    }

    /**
     * The same, starting from the link the caller already holds, so that the usual hand-out (no refresh due) costs
     * no user lookup: {@code user} is asked for only when the token must be refreshed or re-encrypted.
     */
    public StoredToken fresh(FederatedIdentityModel link, Supplier<UserModel> user) {
        if (link == null || link.getToken() == null) {
            throw new TokenUnavailableException(Kind.NOT_LINKED, "user has no stored DrChrono token", null);
        }
        String binding = binding(realm, alias, link.getUserId());
        StoredToken token = open(session, realm, binding, link.getToken());
        long now = Time.currentTime();
        boolean plainText = !TokenCipher.isEncrypted(link.getToken());
        if (!token.needsRefresh(now, marginSeconds) && !plainText) {
            return token;
        }
        if (token.refreshToken() == null && !plainText) {
            if (!token.isExpired(now)) {
                return token;
            }
            throw new TokenUnavailableException(Kind.REAUTHENTICATION_REQUIRED,
                    "DrChrono access token expired and no refresh token is stored", null);
        }
        UserModel owner = user.get();
        if (owner == null) {
            throw new TokenUnavailableException(Kind.NOT_LINKED, "the link's user no longer exists", null);
        }
        return refreshUnderLock(owner.getId(), binding);
    }

    private StoredToken refreshUnderLock(String userId, String binding) {
        String realmId = realm.getId();
        long giveUpAt = System.nanoTime() + lockWaitMillis * 1_000_000L;
        while (true) {
            try {
                Outcome outcome = KeycloakModelUtils.runJobInTransactionWithResult(
                        session.getKeycloakSessionFactory(), locked -> {
                            RealmModel lockedRealm = locked.realms().getRealm(realmId);
                            locked.getContext().setRealm(lockedRealm);
                            return refresh(locked, lockedRealm, userId, binding);
                        });
                if (outcome.failure != null) {
                    throw outcome.failure;
                }
                return outcome.token;
            } catch (PersistenceException | ModelException e) {
                // H2 (start-dev's database) stops waiting for a row lock after a few seconds, sooner than a slow
                // DrChrono answers the refresh that holds it. Nothing was written by this caller; the refresh under
                // way is bounded by the DrChrono timeouts, so wait again (a new transaction) until those have
                // passed. The next attempt finds the token refreshed. PostgreSQL waits on its own.
                if (!isLockTimeout(e) || System.nanoTime() > giveUpAt) {
                    LOG.debugf("Waiting for the DrChrono token refresh of user %s failed: %s", userId,
                            e.getClass().getSimpleName());
                    throw new TokenUnavailableException(Kind.BUSY, "another refresh of this token is under way",
                            null);
                }
            }
        }
    }

    /** Whether the database gave up waiting for a lock, as opposed to failing for another reason. */
    static boolean isLockTimeout(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof LockTimeoutException || cause instanceof PessimisticLockException) {
                return true;
            }
            // H2's lock timeout (HYT00); PostgreSQL's lock_not_available (55P03), should lock_timeout be set.
            if (cause instanceof SQLException sql
                    && ("HYT00".equals(sql.getSQLState()) || "55P03".equals(sql.getSQLState()))) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    private Outcome refresh(KeycloakSession locked, RealmModel lockedRealm, String userId, String binding) {
        StoredLink row = StoredLink.lock(locked, lockedRealm, userId, alias);
        if (row == null) {
            return Outcome.failed(new TokenUnavailableException(Kind.NOT_LINKED,
                    "user has no stored DrChrono token", null));
        }
        StoredToken current;
        try {
            current = open(locked, lockedRealm, binding, row.token());
        } catch (TokenUnavailableException e) {
            return Outcome.failed(e);
        }
        long now = Time.currentTime();
        if (!current.needsRefresh(now, marginSeconds) || current.refreshToken() == null) {
            // Another caller, on this node or another, refreshed while we waited for the lock; or the token was
            // stored in plain text (by stock Keycloak or an earlier version) and only needs encrypting, which is
            // done here, under the lock, so it cannot overwrite a refresh made meanwhile.
            if (!TokenCipher.isEncrypted(row.token())) {
                row.store(TokenCipher.encrypt(locked, lockedRealm, binding, current.toJson()));
            }
            if (current.isExpired(now)) {
                return Outcome.failed(new TokenUnavailableException(Kind.REAUTHENTICATION_REQUIRED,
                        "DrChrono access token expired and no refresh token is stored", null));
            }
            return Outcome.ok(current);
        }
        try {
            StoredToken next = current.refreshedWith(client.get().refresh(current.refreshToken()), now);
            row.store(TokenCipher.encrypt(locked, lockedRealm, binding, next.toJson()));
            DrChronoMetrics.refresh("success");
            return Outcome.ok(next);
        } catch (DrChronoException e) {
            DrChronoMetrics.refresh(e.reason().eventReason());
            if (e.reason() == DrChronoException.Reason.GRANT_REJECTED && row.locked()) {
                row.store(TokenCipher.encrypt(locked, lockedRealm, binding,
                        current.markReauthenticationRequired().toJson()));
                LOG.infof("DrChrono rejected the refresh token of user %s (provider %s); the user must sign in "
                        + "with DrChrono again", userId, alias);
                return Outcome.failed(new TokenUnavailableException(Kind.REAUTHENTICATION_REQUIRED,
                        "DrChrono rejected the stored refresh token", e));
            }
            if (e.reason() == DrChronoException.Reason.GRANT_REJECTED) {
                return Outcome.failed(new TokenUnavailableException(Kind.REAUTHENTICATION_REQUIRED,
                        "DrChrono rejected the refresh token used", e));
            }
            LOG.warnf("Refreshing the DrChrono token of user %s (provider %s) failed, stored token kept: %s",
                    userId, alias, e.getMessage());
            return Outcome.failed(new TokenUnavailableException(Kind.UPSTREAM, e.getMessage(), e));
        }
    }

    /**
     * The stored token of one link, read for update. Local users' links are rows of {@code FEDERATED_IDENTITY},
     * locked with {@code SELECT ... FOR UPDATE}; users of a user-federation provider keep theirs in Keycloak's
     * federated storage, which has no row we can lock, so for them the model API is used without a lock.
     */
    private interface StoredLink {

        String token();

        /**
         * Whether other callers are kept out while we hold this link. Without a lock, a concurrent caller may have
         * just rotated the refresh token we used, so {@code invalid_grant} proves nothing and is not persisted.
         */
        boolean locked();

        void store(String sealed);

        static StoredLink lock(KeycloakSession locked, RealmModel realm, String userId, String alias) {
            EntityManager em = locked.getProvider(JpaConnectionProvider.class).getEntityManager();
            List<FederatedIdentityEntity> rows = em.createQuery("select f from FederatedIdentityEntity f"
                            + " where f.user.id = :userId and f.identityProvider = :alias",
                            FederatedIdentityEntity.class)
                    .setParameter("userId", userId)
                    .setParameter("alias", alias)
                    .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                    .getResultList();
            if (!rows.isEmpty() && rows.get(0).getToken() != null) {
                FederatedIdentityEntity row = rows.get(0);
                return new StoredLink() {
                    @Override
                    public String token() {
                        return row.getToken();
                    }

                    @Override
                    public boolean locked() {
                        return true;
                    }

                    @Override
                    public void store(String sealed) {
                        row.setToken(sealed);
                        evict(locked, realm, userId);
                    }
                };
            }
            UserModel user = locked.users().getUserById(realm, userId);
            FederatedIdentityModel link = user == null ? null : locked.users().getFederatedIdentity(realm, user, alias);
            if (link == null || link.getToken() == null) {
                return null;
            }
            return new StoredLink() {
                @Override
                public String token() {
                    return link.getToken();
                }

                @Override
                public boolean locked() {
                    return false;
                }

                @Override
                public void store(String sealed) {
                    locked.users().updateFederatedIdentity(realm, user, new FederatedIdentityModel(
                            link.getIdentityProvider(), link.getUserId(), link.getUserName(), sealed));
                }
            };
        }
    }

    /** The cached user still holds the old ciphertext; eviction is propagated to other nodes on commit. */
    private static void evict(KeycloakSession locked, RealmModel lockedRealm, String userId) {
        UserCache cache = locked.getProvider(UserCache.class);
        if (cache != null) {
            UserModel user = locked.users().getUserById(lockedRealm, userId);
            if (user != null) {
                cache.evict(lockedRealm, user);
            }
        }
    }

    static StoredToken open(KeycloakSession session, RealmModel realm, String binding, String stored) {
        String json = TokenCipher.isEncrypted(stored) ? TokenCipher.decrypt(session, realm, binding, stored) : stored;
        StoredToken token = StoredToken.parse(json);
        if (token == null) {
            throw new TokenUnavailableException(Kind.UNREADABLE, "stored DrChrono token is not a token", null);
        }
        if (token.reauthenticationRequired()) {
            throw new TokenUnavailableException(Kind.REAUTHENTICATION_REQUIRED,
                    "DrChrono rejected the stored refresh token earlier", null);
        }
        return token;
    }

    /** A result that commits: exceptions thrown inside the job would roll back the reauthentication mark. */
    private record Outcome(StoredToken token, TokenUnavailableException failure) {

        static Outcome ok(StoredToken token) {
            return new Outcome(token, null);
        }

        static Outcome failed(TokenUnavailableException failure) {
            return new Outcome(null, failure);
        }
    }
}
