package io.github.keycloakdrchrono.bench;

/**
 * One call whose latency the benchmark measures. Each of ours is compared with the stock call that does the same
 * work up to the point where the extension takes over, so that a ratio shows what the extension adds.
 */
enum Route {

    STOCK_BROKER(Provider.STOCK, "`GET /realms/{realm}/broker/oauth2/token`, the user's access token", null,
            "\"access_token\""),
    /**
     * Stock Keycloak has no service endpoint. Its user-info endpoint, called with a service account's token, runs
     * the same bearer check of a token without a user session (Keycloak builds a transient session for it) and
     * then reads a user, which is what our endpoint does before it touches the stored token.
     */
    STOCK_SERVICE_ACCOUNT(Provider.STOCK, "`GET /realms/{realm}/protocol/openid-connect/userinfo`, a service "
            + "account's token", null, "\"sub\""),
    OURS_BROKER(Provider.OURS, "`GET /realms/{realm}/broker/drchrono/token`, the user's access token", STOCK_BROKER,
            "\"access_token\""),
    OURS_SERVICE(Provider.OURS, "`GET /realms/{realm}/drchrono/drchrono/users/{id}/token`, a service account's "
            + "token", STOCK_SERVICE_ACCOUNT, "\"access_token\"");

    final Provider provider;
    final String call;
    /** The stock call this one is compared with; null for the stock calls themselves. */
    final Route baseline;
    /** What every successful answer holds; a call answering without it stops the run. */
    final String expected;

    Route(Provider provider, String call, Route baseline, String expected) {
        this.provider = provider;
        this.call = call;
        this.baseline = baseline;
        this.expected = expected;
    }
}
