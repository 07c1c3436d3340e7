package io.github.keycloakdrchrono.drchrono;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpHeaders;
import org.apache.http.NameValuePair;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.entity.UrlEncodedFormEntity;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.client.methods.HttpRequestBase;
import org.apache.http.conn.ConnectTimeoutException;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.message.BasicNameValuePair;

import io.github.keycloakdrchrono.DrChronoMetrics;
import io.github.keycloakdrchrono.drchrono.DrChronoException.Reason;

/**
 * DrChrono's OAuth token endpoint and user API, as an untrusted peer.
 *
 * <p>Every call has a connect timeout, a per-read timeout and an overall deadline (a server dripping one byte a
 * second never trips a per-read timeout), reads at most {@link #MAX_BODY_BYTES}, checks the status before
 * parsing, and follows redirects itself: DrChrono answers {@code /api/users/current} with a 302, and Apache
 * HttpClient would carry the bearer token to whatever host a redirect names.
 */
public final class DrChronoClient {

    /** A real user or token answer is a few KiB; the staff list page at 250 entries stays well below this. */
    static final int MAX_BODY_BYTES = 1024 * 1024;
    static final int MAX_REDIRECTS = 3;
    /** 40 pages of 250 is a 10,000-member practice; more than that is a loop, not a practice. */
    static final int MAX_STAFF_PAGES = 40;
    static final int STAFF_PAGE_SIZE = 250;

    private static final Pattern OAUTH_ERROR = Pattern.compile("[a-z_]{1,40}");
    private static final Pattern THROTTLE_SECONDS = Pattern.compile("available in (\\d{1,6}) seconds?");

    /**
     * Where and how to call. The secret is passed resolved (Keycloak's vault reference already looked up).
     */
    public record Settings(URI tokenUrl, URI revokeUrl, URI apiBase, String clientId, String clientSecret,
            boolean basicAuth, int connectTimeoutMillis, int readTimeoutMillis) {

        @Override
        public String toString() {
            return "Settings[tokenUrl=" + tokenUrl + ", apiBase=" + apiBase + ", clientId=" + clientId + "]";
        }
    }

    private final CloseableHttpClient http;
    private final Settings settings;

    /** @param http Keycloak's shared client (proxy and trust settings included); never closed here */
    public DrChronoClient(CloseableHttpClient http, Settings settings) {
        this.http = http;
        this.settings = settings;
    }

    /** Trades an authorization code for tokens; {@code redirectUri} must be the string sent to /o/authorize/. */
    public TokenResponse exchangeCode(String code, String redirectUri) {
        List<NameValuePair> form = new ArrayList<>();
        form.add(new BasicNameValuePair("grant_type", "authorization_code"));
        form.add(new BasicNameValuePair("code", code));
        form.add(new BasicNameValuePair("redirect_uri", redirectUri));
        return tokenCall(form, "token");
    }

    /** Redeems a refresh token. With rotation on at DrChrono, the one passed in is dead once this returns. */
    public TokenResponse refresh(String refreshToken) {
        List<NameValuePair> form = new ArrayList<>();
        form.add(new BasicNameValuePair("grant_type", "refresh_token"));
        form.add(new BasicNameValuePair("refresh_token", refreshToken));
        return tokenCall(form, "token refresh");
    }

    /**
     * Revokes a refresh token (and with it its access token) at {@code /o/revoke_token/}. DrChrono answers 200
     * also for tokens it does not know, so 200 means "not usable any more".
     *
     * @return false when the endpoint does not exist (404): DrChrono's current docs do not list it
     */
    public boolean revokeRefreshToken(String refreshToken) {
        List<NameValuePair> form = new ArrayList<>();
        form.add(new BasicNameValuePair("token", refreshToken));
        form.add(new BasicNameValuePair("token_type_hint", "refresh_token"));
        HttpPost post = authenticatedPost(settings.revokeUrl(), form);
        Answer answer = execute(post, "revoke");
        if (answer.status == 200) {
            return true;
        }
        if (answer.status == 404) {
            return false;
        }
        throw tokenError(answer, "revoke");
    }

    /** {@code GET /api/users/current}, following DrChrono's 302 to {@code /api/users/{id}}. */
    public JsonNode currentUser(String accessToken) {
        return getJson(settings.apiBase().resolve("/api/users/current"), accessToken, "users/current");
    }

    /** {@code GET /api/doctors/{id}}; needs the user:read scope. */
    public JsonNode doctor(String accessToken, long doctorId) {
        return getJson(settings.apiBase().resolve("/api/doctors/" + doctorId), accessToken, "doctors");
    }

    /**
     * The staff record whose {@code username} is the given one. DrChrono lists staff page by page and has no
     * filter by username; {@code doctorId} narrows the list to the practice the user works in.
     */
    public Optional<JsonNode> staffMember(String accessToken, String username, Long doctorId) {
        String query = "?page_size=" + STAFF_PAGE_SIZE + (doctorId == null ? "" : "&doctor=" + doctorId);
        URI next = settings.apiBase().resolve("/api/staff" + query);
        for (int page = 0; page < MAX_STAFF_PAGES && next != null; page++) {
            JsonNode list = getJson(next, accessToken, "staff");
            JsonNode results = list.get("results");
            if (results == null || !results.isArray()) {
                throw DrChronoException.badResponse("staff", "list without results array");
            }
            for (JsonNode member : results) {
                if (member.isObject() && username.equals(Json.text(member.get("username")))) {
                    return Optional.of(member);
                }
            }
            next = nextPage(list.get("next"));
        }
        if (next != null) {
            throw DrChronoException.badResponse("staff", "more than " + MAX_STAFF_PAGES + " pages");
        }
        return Optional.empty();
    }

    /** DrChrono gives the next page as a full URL; we only follow it on the API host we were configured with. */
    private URI nextPage(JsonNode next) {
        String url = Json.text(next);
        if (url == null) {
            return null;
        }
        URI uri = parseUri(url, "staff");
        if (!sameOrigin(uri, settings.apiBase())) {
            throw DrChronoException.badResponse("staff", "next page on another host");
        }
        return uri;
    }

    private TokenResponse tokenCall(List<NameValuePair> form, String endpoint) {
        Answer answer = execute(authenticatedPost(settings.tokenUrl(), form), endpoint);
        if (answer.status == 200) {
            requireJson(answer, endpoint);
            return TokenResponse.parse(Json.parse(answer.body, endpoint), endpoint);
        }
        throw tokenError(answer, endpoint);
    }

    /** A form POST with our client credentials, as DrChrono's token and revocation endpoints expect them. */
    private HttpPost authenticatedPost(URI url, List<NameValuePair> form) {
        HttpPost post = new HttpPost(url);
        if (settings.basicAuth()) {
            // RFC 6749 2.3.1: form-encode each part before joining; oauthlib decodes them that way.
            String pair = formEncode(settings.clientId()) + ":" + formEncode(settings.clientSecret());
            post.setHeader(HttpHeaders.AUTHORIZATION,
                    "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        } else {
            form.add(new BasicNameValuePair("client_id", settings.clientId()));
            form.add(new BasicNameValuePair("client_secret", settings.clientSecret()));
        }
        post.setEntity(new UrlEncodedFormEntity(form, StandardCharsets.UTF_8));
        post.setHeader(HttpHeaders.ACCEPT, "application/json");
        return post;
    }

    private DrChronoException tokenError(Answer answer, String endpoint) {
        DrChronoException general = statusError(answer, endpoint);
        if (general != null) {
            return general;
        }
        String error = null;
        String description = null;
        if (answer.isJson()) {
            try {
                JsonNode json = Json.parse(answer.body, endpoint);
                error = sanitiseError(Json.text(json.get("error")));
                description = Json.text(json.get("error_description"));
            } catch (DrChronoException unreadable) {
                // an error we cannot read is still the status below
            }
        }
        Reason reason;
        if (error == null) {
            reason = Reason.BAD_RESPONSE;
        } else if (error.equals("invalid_client")) {
            reason = Reason.CLIENT_REJECTED;
        } else if (error.equals("invalid_grant")) {
            reason = Reason.GRANT_REJECTED;
        } else if (error.equals("invalid_request") && description != null
                && description.toLowerCase(Locale.ROOT).contains("redirect")) {
            reason = Reason.REDIRECT_URI_REJECTED;
        } else {
            reason = Reason.REQUEST_REJECTED;
        }
        return new DrChronoException(reason, endpoint, answer.status, error, null, null, null);
    }

    private JsonNode getJson(URI uri, String accessToken, String endpoint) {
        URI target = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpGet get = new HttpGet(target);
            get.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + accessToken);
            get.setHeader(HttpHeaders.ACCEPT, "application/json");
            Answer answer = execute(get, endpoint);
            if (answer.status == 301 || answer.status == 302 || answer.status == 303 || answer.status == 307
                    || answer.status == 308) {
                if (answer.location == null) {
                    throw DrChronoException.of(Reason.BAD_RESPONSE, endpoint, answer.status, "redirect without Location");
                }
                URI next = target.resolve(parseUri(answer.location, endpoint));
                // The bearer token goes to the API host we were configured with and nowhere else.
                if (!sameOrigin(next, settings.apiBase())) {
                    throw DrChronoException.of(Reason.BAD_RESPONSE, endpoint, answer.status,
                            "redirect to another host refused");
                }
                target = next;
                continue;
            }
            if (answer.status == 200) {
                requireJson(answer, endpoint);
                return Json.parse(answer.body, endpoint);
            }
            throw apiError(answer, endpoint);
        }
        throw DrChronoException.of(Reason.BAD_RESPONSE, endpoint, 0, "more than " + MAX_REDIRECTS + " redirects");
    }

    private DrChronoException apiError(Answer answer, String endpoint) {
        DrChronoException general = statusError(answer, endpoint);
        if (general != null) {
            return general;
        }
        return switch (answer.status) {
            case 401 -> DrChronoException.of(Reason.TOKEN_REJECTED, endpoint, 401, null);
            case 403 -> DrChronoException.of(Reason.FORBIDDEN, endpoint, 403, null);
            case 404 -> DrChronoException.of(Reason.NOT_FOUND, endpoint, 404, null);
            default -> DrChronoException.of(Reason.BAD_RESPONSE, endpoint, answer.status, "unexpected status");
        };
    }

    /** Statuses that mean the same on every endpoint. */
    private static DrChronoException statusError(Answer answer, String endpoint) {
        if (answer.status == 429) {
            return new DrChronoException(Reason.THROTTLED, endpoint, 429, null, answer.retryAfterSeconds(), null,
                    null);
        }
        if (answer.status >= 500) {
            return DrChronoException.of(Reason.UNAVAILABLE, endpoint, answer.status, null);
        }
        return null;
    }

    private static void requireJson(Answer answer, String endpoint) {
        if (!answer.isJson()) {
            throw DrChronoException.of(Reason.BAD_RESPONSE, endpoint, answer.status,
                    "content type " + (answer.contentType == null ? "missing" : "not JSON"));
        }
    }

    private Answer execute(HttpRequestBase request, String endpoint) {
        request.setConfig(RequestConfig.custom()
                .setConnectTimeout(settings.connectTimeoutMillis())
                .setConnectionRequestTimeout(settings.connectTimeoutMillis())
                .setSocketTimeout(settings.readTimeoutMillis())
                .setRedirectsEnabled(false)
                .build());
        long started = System.nanoTime();
        long deadline = started + (settings.connectTimeoutMillis() + (long) settings.readTimeoutMillis()) * 1_000_000L;
        int status = 0;
        boolean timedOut = false;
        try (CloseableHttpResponse response = http.execute(request)) {
            status = response.getStatusLine().getStatusCode();
            Header contentType = response.getFirstHeader(HttpHeaders.CONTENT_TYPE);
            Header location = response.getFirstHeader(HttpHeaders.LOCATION);
            Header retryAfter = response.getFirstHeader(HttpHeaders.RETRY_AFTER);
            byte[] body = read(response.getEntity(), deadline, endpoint, status, request);
            return new Answer(status, contentType == null ? null : contentType.getValue(),
                    location == null ? null : location.getValue(), retryAfter == null ? null : retryAfter.getValue(),
                    body);
        } catch (SocketTimeoutException | ConnectTimeoutException e) {
            timedOut = true;
            throw new DrChronoException(Reason.TIMEOUT, endpoint, 0, null, null, e.getClass().getSimpleName(), null);
        } catch (InterruptedIOException e) {
            timedOut = true;
            throw new DrChronoException(Reason.TIMEOUT, endpoint, 0, null, null, "aborted", null);
        } catch (IOException e) {
            // Connection refused, reset, TLS failures: the exception's own message names only host and port.
            throw new DrChronoException(Reason.UNAVAILABLE, endpoint, 0, null, null,
                    e.getClass().getSimpleName() + ": " + e.getMessage(), null);
        } catch (DrChronoException e) {
            timedOut = e.reason() == Reason.TIMEOUT;
            throw e;
        } finally {
            DrChronoMetrics.drChronoCall(endpoint, status, timedOut, System.nanoTime() - started);
        }
    }

    private static byte[] read(HttpEntity entity, long deadline, String endpoint, int status, HttpRequestBase request)
            throws IOException {
        if (entity == null) {
            return new byte[0];
        }
        if (entity.getContentLength() > MAX_BODY_BYTES) {
            request.abort();
            throw DrChronoException.of(Reason.BAD_RESPONSE, endpoint, status, "body larger than " + MAX_BODY_BYTES);
        }
        try (InputStream in = entity.getContent()) {
            byte[] buffer = new byte[8192];
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            int n;
            while ((n = in.read(buffer)) != -1) {
                out.write(buffer, 0, n);
                if (out.size() > MAX_BODY_BYTES) {
                    request.abort();
                    throw DrChronoException.of(Reason.BAD_RESPONSE, endpoint, status,
                            "body larger than " + MAX_BODY_BYTES);
                }
                if (System.nanoTime() > deadline) {
                    request.abort();
                    throw DrChronoException.of(Reason.TIMEOUT, endpoint, status, "body not complete in time");
                }
            }
            return out.toByteArray();
        }
    }

    private static URI parseUri(String value, String endpoint) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw DrChronoException.badResponse(endpoint, "unparseable URL");
        }
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getHost() != null
                && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String sanitiseError(String error) {
        if (error == null) {
            return null;
        }
        return OAUTH_ERROR.matcher(error).matches() ? error : "unrecognised";
    }

    private static String formEncode(String value) {
        return java.net.URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    /** One HTTP answer, read in full (within bounds) so the connection goes back to Keycloak's pool. */
    private record Answer(int status, String contentType, String location, String retryAfter, byte[] body) {

        boolean isJson() {
            return contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json");
        }

        Long retryAfterSeconds() {
            if (retryAfter != null && retryAfter.trim().matches("\\d{1,6}")) {
                return Long.parseLong(retryAfter.trim());
            }
            // DrChrono documents the wait only in its message: "Expected available in 37 seconds."
            Matcher matcher = THROTTLE_SECONDS.matcher(new String(body, StandardCharsets.UTF_8));
            return matcher.find() ? Long.parseLong(matcher.group(1)) : null;
        }
    }
}
