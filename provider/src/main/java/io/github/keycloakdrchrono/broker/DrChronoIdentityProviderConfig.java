package io.github.keycloakdrchrono.broker;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

import org.keycloak.broker.oidc.OAuth2IdentityProviderConfig;
import org.keycloak.common.enums.SslRequired;
import org.keycloak.common.util.UriUtils;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * Typed view of a DrChrono provider's settings. Every key, default and admin-console label lives here once.
 *
 * <p>All endpoints derive from two bases so that the same code talks to DrChrono and to the sandbox; the
 * generic {@code authorizationUrl}/{@code tokenUrl} keys of Keycloak's OAuth 2.0 provider are ignored.
 */
public final class DrChronoIdentityProviderConfig extends OAuth2IdentityProviderConfig {

    public static final String BASE_URL_KEY = "baseUrl";
    public static final String API_URL_KEY = "apiUrl";
    public static final String FETCH_RECORD_KEY = "fetchRecord";
    public static final String CONNECT_TIMEOUT_KEY = "connectTimeoutMillis";
    public static final String READ_TIMEOUT_KEY = "readTimeoutMillis";
    public static final String REFRESH_MARGIN_KEY = "refreshMarginSeconds";
    public static final String RELEASE_REFRESH_TOKEN_KEY = "releaseRefreshToken";

    /** DrChrono's own spelling, for the login button and the admin console. */
    public static final String DISPLAY_NAME = "DrChrono";
    public static final String DEFAULT_BASE_URL = "https://drchrono.com";
    public static final String DEFAULT_API_URL = "https://app.drchrono.com";
    /** Login needs the doctor or staff record, which DrChrono guards with {@code user:read}. */
    public static final String DEFAULT_SCOPE = "user:read";
    static final int DEFAULT_CONNECT_TIMEOUT_MILLIS = 5_000;
    static final int DEFAULT_READ_TIMEOUT_MILLIS = 10_000;
    /** Five minutes: an app handed a token can use it for at least that long before DrChrono says no. */
    static final long DEFAULT_REFRESH_MARGIN_SECONDS = 300;
    /** DrChrono access tokens live 48 hours; a margin of a day or more would refresh on every hand-out. */
    static final long MAX_REFRESH_MARGIN_SECONDS = 86_400;
    /** A browser is waiting on every call; past this the admin wants a config error, not a hung login. */
    static final int MAX_TIMEOUT_MILLIS = 60_000;

    /** The scopes DrChrono knows, offered as the admin's choices. */
    public static final List<String> SCOPES = List.of("user:read", "user:write", "calendar:read", "calendar:write",
            "patients:read", "patients:write", "patients:summary:read", "patients:summary:write", "billing:read",
            "billing:write", "billing:patient-payment:read", "billing:patient-payment:write", "clinical:read",
            "clinical:write", "labs:read", "labs:write", "messages:read", "messages:write", "settings:read",
            "settings:write", "tasks:read", "tasks:write");

    public DrChronoIdentityProviderConfig() {
        super();
    }

    public DrChronoIdentityProviderConfig(IdentityProviderModel model) {
        super(model);
    }

    /** The admin-console form for the provider; labels and help texts are the documentation admins read. */
    static List<ProviderConfigProperty> configProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(BASE_URL_KEY).label("DrChrono OAuth URL")
                .helpText("Where DrChrono's OAuth server lives. /o/authorize/, /o/token/ and /o/revoke_token/ are "
                        + "appended. Change it only to point at a DrChrono-compatible test server.")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(DEFAULT_BASE_URL).add()
                .property().name(API_URL_KEY).label("DrChrono API URL")
                .helpText("Where DrChrono's REST API lives; paths such as /api/users/current are appended. "
                        + "A trailing /api is tolerated.")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(DEFAULT_API_URL).add()
                .property().name(FETCH_RECORD_KEY).label("Fetch doctor or staff record")
                .helpText("DrChrono's user object has no name or e-mail; they are in the doctor record (for doctors) "
                        + "or the user's own staff record (for staff). Needs the user:read scope. Switch off only "
                        + "if users should type their names and e-mail on first login.")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("true").add()
                .property().name(CONNECT_TIMEOUT_KEY).label("Connect timeout (ms)")
                .helpText("How long to wait for a connection to DrChrono before showing the user an error.")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(String.valueOf(DEFAULT_CONNECT_TIMEOUT_MILLIS))
                .add()
                .property().name(READ_TIMEOUT_KEY).label("Read timeout (ms)")
                .helpText("How long to wait for DrChrono to answer, per request, before showing the user an error.")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(String.valueOf(DEFAULT_READ_TIMEOUT_MILLIS))
                .add()
                .property().name(REFRESH_MARGIN_KEY).label("Refresh margin (s)")
                .helpText("When an app asks for the user's DrChrono token and it expires within this many seconds, "
                        + "Keycloak refreshes it first, so the app always gets a token valid at least this long.")
                .type(ProviderConfigProperty.STRING_TYPE).defaultValue(String.valueOf(DEFAULT_REFRESH_MARGIN_SECONDS))
                .add()
                .property().name(RELEASE_REFRESH_TOKEN_KEY).label("Hand out the refresh token (unsafe)")
                .helpText("Off: apps get only the access token and Keycloak alone refreshes. On: apps also get the "
                        + "refresh token. DrChrono may rotate refresh tokens, so an app that refreshes on its own "
                        + "kills Keycloak's copy: every later hand-out fails until the user signs in with DrChrono "
                        + "again, and a leaked refresh token never expires.")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false").add()
                .build();
    }

    public String getBaseUrl() {
        return normalise(getConfig().get(BASE_URL_KEY), DEFAULT_BASE_URL, false);
    }

    public String getApiUrl() {
        return normalise(getConfig().get(API_URL_KEY), DEFAULT_API_URL, true);
    }

    @Override
    public String getAuthorizationUrl() {
        return getBaseUrl() + "/o/authorize/";
    }

    @Override
    public String getTokenUrl() {
        return getBaseUrl() + "/o/token/";
    }

    public String getRevokeUrl() {
        return getBaseUrl() + "/o/revoke_token/";
    }

    /** The profile endpoint; the generic OAuth provider's user-info key is ignored. */
    @Override
    public String getUserInfoUrl() {
        return getApiUrl() + "/api/users/current";
    }

    public boolean isFetchRecord() {
        return !"false".equalsIgnoreCase(getConfig().get(FETCH_RECORD_KEY));
    }

    public int getConnectTimeoutMillis() {
        return millis(CONNECT_TIMEOUT_KEY, DEFAULT_CONNECT_TIMEOUT_MILLIS);
    }

    public int getReadTimeoutMillis() {
        return millis(READ_TIMEOUT_KEY, DEFAULT_READ_TIMEOUT_MILLIS);
    }

    public long getRefreshMarginSeconds() {
        String raw = getConfig().get(REFRESH_MARGIN_KEY);
        if (raw == null || raw.isBlank()) {
            return DEFAULT_REFRESH_MARGIN_SECONDS;
        }
        try {
            long value = Long.parseLong(raw.trim());
            if (value >= 0 && value <= MAX_REFRESH_MARGIN_SECONDS) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the accepted range
        }
        throw new IllegalArgumentException(REFRESH_MARGIN_KEY + " must be a whole number of seconds from 0 to "
                + MAX_REFRESH_MARGIN_SECONDS);
    }

    public boolean isReleaseRefreshToken() {
        return "true".equalsIgnoreCase(getConfig().get(RELEASE_REFRESH_TOKEN_KEY));
    }

    @Override
    public String getDefaultScope() {
        String scope = super.getDefaultScope();
        // DrChrono asks the user for *every* scope when none is sent, so never send an empty one.
        return scope == null || scope.isBlank() ? DEFAULT_SCOPE : scope.trim();
    }

    @Override
    public void validate(RealmModel realm) {
        if (getInternalId() == null) {
            // Keycloak validates on create and on update; only a provider being created has no internal id yet.
            // Handing fresh tokens to apps needs the stored refresh token, so a new DrChrono provider stores
            // tokens; the representation cannot tell "false" from "not given", so an admin who does not want
            // that switches it off after creation, and later updates keep the choice.
            setStoreToken(true);
        }
        if (getDisplayName() == null || getDisplayName().isBlank()) {
            // The login page falls back to the provider's name on its own, but the admin console titles the
            // provider after its alias ("Drchrono") and shows an empty Display name field.
            setDisplayName(DISPLAY_NAME);
        }
        String scope = super.getDefaultScope();
        if (scope == null || scope.isBlank()) {
            // Stored, not only implied: the admin console shows the stored value, and an empty Scopes field
            // would hide that user:read is what DrChrono is asked for.
            setDefaultScope(DEFAULT_SCOPE);
        }
        SslRequired sslRequired = realm.getSslRequired();
        UriUtils.checkUrl(sslRequired, getBaseUrl(), "DrChrono OAuth URL");
        UriUtils.checkUrl(sslRequired, getApiUrl(), "DrChrono API URL");
        millis(CONNECT_TIMEOUT_KEY, DEFAULT_CONNECT_TIMEOUT_MILLIS);
        millis(READ_TIMEOUT_KEY, DEFAULT_READ_TIMEOUT_MILLIS);
        getRefreshMarginSeconds();
    }

    private int millis(String key, int defaultValue) {
        String raw = getConfig().get(key);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value > 0 && value <= MAX_TIMEOUT_MILLIS) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the accepted range
        }
        throw new IllegalArgumentException(key + " must be a whole number of milliseconds from 1 to "
                + MAX_TIMEOUT_MILLIS);
    }

    /**
     * Trims trailing slashes and, for the API base, a trailing {@code /api}: every path we append starts with
     * {@code /api/}, and "https://app.drchrono.com/api" is what people paste from DrChrono's docs.
     */
    static String normalise(String configured, String defaultValue, boolean stripApiSuffix) {
        String given = configured == null || configured.isBlank() ? defaultValue : configured.trim();
        String url = given;
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        if (stripApiSuffix && url.toLowerCase(Locale.ROOT).endsWith("/api")) {
            url = url.substring(0, url.length() - "/api".length());
        }
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getHost() == null || uri.getRawQuery() != null
                    || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("Not an absolute http(s) URL without query: " + given);
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http")) {
                throw new IllegalArgumentException("Not an http(s) URL: " + given);
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Not a valid URL: " + given, e);
        }
        return url;
    }
}
