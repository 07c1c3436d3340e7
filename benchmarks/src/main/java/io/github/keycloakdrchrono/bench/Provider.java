package io.github.keycloakdrchrono.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.keycloakdrchrono.sandbox.DrChronoSandbox;

/**
 * The two identity providers compared, each set up the way an admin would for DrChrono, with tokens stored and the
 * broker {@code read-token} role granted to users they create.
 */
enum Provider {

    /** This extension: tokens stored AES-GCM encrypted, refreshed once under a row lock. */
    OURS("keycloak-drchrono", "drchrono", "drchrono") {
        @Override
        void configure(ObjectNode config, DrChronoSandbox sandbox) {
            config.put("baseUrl", sandbox.baseUrl())
                    .put("apiUrl", sandbox.apiUrl());
        }
    },

    /**
     * Keycloak 26.7's generic OAuth 2.0 provider (org.keycloak.broker.oauth.OAuth2IdentityProvider): tokens stored
     * as DrChrono sent them, in plain text. DrChrono has no user-info endpoint; the user object comes closest, and
     * the provider's claim settings pick its {@code id} and {@code username}. It has no e-mail or names, so the
     * first login asks for them.
     *
     * <p>The user object's URL is the benchmark user's own, {@code /api/users/{id}}: the generic
     * {@code /api/users/current} answers 302, and Keycloak 26.7's HTTP client does not follow redirects (its
     * {@code allow-redirects} option is off by default, and turning it on would change our provider's calls in
     * the same server too). The URL is read at sign-in only, so the measured hand-outs are not affected.
     */
    STOCK("stock Keycloak OAuth 2.0", "oauth2", "oauth2") {
        @Override
        void configure(ObjectNode config, DrChronoSandbox sandbox) {
            config.put("authorizationUrl", sandbox.authorizationUrl())
                    .put("tokenUrl", sandbox.tokenUrl())
                    .put("userInfoUrl", sandbox.apiUrl() + "/api/users/" + sandbox.users().get(BenchRealm.USER).id())
                    .put("clientAuthMethod", "client_secret_post")
                    .put("defaultScope", "user:read")
                    .put("userIDClaim", "id")
                    .put("userNameClaim", "username")
                    .put("emailClaim", "email")
                    // Stock refreshes only within 5 s of expiry by default; ours uses 300 s. Equal margins let the
                    // storm's 60-second token be due for both, and change nothing for the 48-hour tokens.
                    .put("minValidityToken", "300");
        }
    };

    final String label;
    final String alias;
    final String providerId;

    Provider(String label, String alias, String providerId) {
        this.label = label;
        this.alias = alias;
        this.providerId = providerId;
    }

    /** The admin REST representation of this provider for one realm, registered at the sandbox as clientId. */
    ObjectNode representation(DrChronoSandbox sandbox, String clientId, String clientSecret) {
        ObjectNode idp = Http.JSON.createObjectNode()
                .put("alias", alias)
                .put("providerId", providerId)
                .put("enabled", true)
                .put("storeToken", true)
                .put("addReadTokenRoleOnCreate", true);
        ObjectNode config = idp.putObject("config")
                .put("clientId", clientId)
                .put("clientSecret", clientSecret);
        configure(config, sandbox);
        return idp;
    }

    abstract void configure(ObjectNode config, DrChronoSandbox sandbox);
}
