package io.github.keycloakdrchrono.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;

import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.PessimisticLockException;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.keycloak.models.ModelException;

/** Which database failures make a caller wait again for another's refresh, and which end its wait at once. */
@DisplayName("Telling a lock timeout from other database failures")
class LockTimeoutTest {

    @Test
    @DisplayName("JPA's lock exceptions, wrapped or not, are lock timeouts")
    void jpaLockExceptions() {
        assertThat(BrokeredTokens.isLockTimeout(new LockTimeoutException("timeout"))).isTrue();
        assertThat(BrokeredTokens.isLockTimeout(new ModelException("lock", new PessimisticLockException("lock")))).isTrue();
    }

    @Test
    @DisplayName("H2's and PostgreSQL's lock-timeout SQL states are lock timeouts, however deep the cause")
    void sqlStates() {
        SQLException h2 = new SQLTimeoutException("Timeout trying to lock table", "HYT00", 50200);
        SQLException postgres = new SQLException("canceling statement due to lock timeout", "55P03");

        assertThat(BrokeredTokens.isLockTimeout(new PersistenceException(new RuntimeException(h2)))).isTrue();
        assertThat(BrokeredTokens.isLockTimeout(new ModelException("lock", postgres))).isTrue();
    }

    @Test
    @DisplayName("other failures (connection lost, constraint broken, no cause) are not")
    void others() {
        assertThat(BrokeredTokens.isLockTimeout(new PersistenceException(
                new SQLException("connection refused", "08001")))).isFalse();
        assertThat(BrokeredTokens.isLockTimeout(new PersistenceException(
                new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(BrokeredTokens.isLockTimeout(new ModelException("no cause"))).isFalse();
    }
}
