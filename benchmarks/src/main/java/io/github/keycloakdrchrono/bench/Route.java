package io.github.keycloakdrchrono.bench;

/** One way an app gets the user's DrChrono token, whose latency the benchmark measures. */
enum Route {

    OURS_BROKER(Provider.OURS, "`GET /realms/{realm}/broker/drchrono/token`, the user's access token"),
    STOCK_BROKER(Provider.STOCK, "`GET /realms/{realm}/broker/oauth2/token`, the user's access token"),
    /** Stock Keycloak has no equivalent; it is compared with stock's broker endpoint, the nearest thing. */
    OURS_SERVICE(Provider.OURS, "`GET /realms/{realm}/drchrono/drchrono/users/{id}/token`, a service account's token");

    final Provider provider;
    final String call;

    Route(Provider provider, String call) {
        this.provider = provider;
        this.call = call;
    }
}
