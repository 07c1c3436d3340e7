package io.github.keycloakdrchrono.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Drives a sandbox the way a relying party and a browser would, so that tests read as the flow they check. */
final class SandboxClient {

    static final String CLIENT_ID = "keycloak";
    static final String SECRET = "sandbox-secret";
    static final String REDIRECT_URI = "http://localhost:8080/realms/demo/broker/drchrono/endpoint";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SESSION = Pattern.compile("name=\"session\" value=\"([A-Za-z0-9]+)\"");

    private final DrChronoSandbox sandbox;
    private final HttpClient http;

    SandboxClient(DrChronoSandbox sandbox) {
        this(sandbox, HttpClient.Redirect.NEVER);
    }

    SandboxClient(DrChronoSandbox sandbox, HttpClient.Redirect redirects) {
        this.sandbox = sandbox;
        // HTTP/1.1 because the JDK client would otherwise try an h2c upgrade the JDK server does not speak.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(redirects)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    static DrChronoSandbox.Builder defaultSandbox() {
        return DrChronoSandbox.builder().client(CLIENT_ID, SECRET, REDIRECT_URI);
    }

    HttpResponse<String> get(String pathOrUrl, String... headers) {
        return send(request(pathOrUrl, headers).GET().build());
    }

    HttpResponse<String> getWithToken(String path, String accessToken) {
        return get(path, "Authorization", "Bearer " + accessToken);
    }

    HttpResponse<String> post(String path, Map<String, String> form, String... headers) {
        return send(request(path, headers)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form)))
                .build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpClient http() {
        return http;
    }

    HttpRequest.Builder request(String pathOrUrl, String... headers) {
        String url = pathOrUrl.startsWith("http") ? pathOrUrl : sandbox.baseUrl() + pathOrUrl;
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder;
    }

    /** The authorization request's parameters; {@code null} values are left out. */
    static Map<String, String> authorizeParams(String scope, String state) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", CLIENT_ID);
        params.put("redirect_uri", REDIRECT_URI);
        if (scope != null) {
            params.put("scope", scope);
        }
        if (state != null) {
            params.put("state", state);
        }
        return params;
    }

    HttpResponse<String> openAuthorize(Map<String, String> params) {
        return get("/o/authorize/?" + encode(params));
    }

    /** Posts the sign-in form as a browser would: the hidden OAuth fields plus the credentials. */
    HttpResponse<String> signIn(Map<String, String> params, String username, String password) {
        Map<String, String> form = new LinkedHashMap<>(params);
        form.put("username", username);
        form.put("password", password);
        return post("/o/authorize/", form);
    }

    HttpResponse<String> decide(String consentPage, String action) {
        return post("/o/authorize/", Map.of("session", session(consentPage), "action", action));
    }

    /** Sign-in and approval; returns the 302 back to the client. */
    HttpResponse<String> approve(String username, String scope, String state) {
        HttpResponse<String> consent = signIn(authorizeParams(scope, state), username, SandboxUsers.DEMO_PASSWORD);
        assertThat(consent.statusCode()).isEqualTo(200);
        return decide(consent.body(), "approve");
    }

    String code(String username, String scope) {
        return query(location(approve(username, scope, "s")), "code");
    }

    HttpResponse<String> exchange(String code, String redirectUri) {
        return post("/o/token/", Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", redirectUri, "client_id", CLIENT_ID, "client_secret", SECRET));
    }

    HttpResponse<String> exchangeWithBasic(String code) {
        return post("/o/token/", Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT_URI), "Authorization", basic(CLIENT_ID, SECRET));
    }

    HttpResponse<String> refresh(String refreshToken) {
        return post("/o/token/", Map.of("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", CLIENT_ID, "client_secret", SECRET));
    }

    HttpResponse<String> revoke(String token) {
        return post("/o/revoke_token/", Map.of("token", token, "client_id", CLIENT_ID, "client_secret", SECRET));
    }

    /** The browser flow and code exchange for {@code username}, all scopes. */
    TokenPair login(String username) {
        HttpResponse<String> response = exchange(code(username, null), REDIRECT_URI);
        assertThat(response.statusCode()).isEqualTo(200);
        return pair(response);
    }

    static TokenPair pair(HttpResponse<String> tokenResponse) {
        JsonNode json = json(tokenResponse);
        return new TokenPair(json.get("access_token").asText(), json.get("refresh_token").asText(),
                json.get("expires_in").asLong(), json.get("scope").asText());
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String location(HttpResponse<?> response) {
        assertThat(response.statusCode()).isEqualTo(302);
        return response.headers().firstValue("Location").orElseThrow();
    }

    /** One decoded query parameter of a URL, {@code null} when absent. */
    static String query(String url, String name) {
        String rawQuery = URI.create(url).getRawQuery();
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static String session(String consentPage) {
        Matcher matcher = SESSION.matcher(consentPage);
        assertThat(matcher.find()).as("consent page carries a session nonce").isTrue();
        return matcher.group(1);
    }

    static String basic(String user, String password) {
        String pair = URLEncoder.encode(user, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(password, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    static String encode(Map<String, String> params) {
        return params.entrySet().stream()
                .map(param -> URLEncoder.encode(param.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(param.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
