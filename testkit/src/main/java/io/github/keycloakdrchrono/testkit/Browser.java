package io.github.keycloakdrchrono.testkit;

import java.io.IOException;
import java.net.CookieHandler;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * A cookie-keeping HTTP client that follows redirects and submits HTML forms the way a browser without
 * JavaScript does. Keycloak's login pages and the sandbox's pages all work without scripts, so this drives the
 * real browser flow; it stops at the app's redirect URI, which no server here answers.
 */
public final class Browser {

    /** Where the test app wants the browser back; never contacted. */
    public static final String APP_REDIRECT = "http://app.invalid/callback";

    private static final int MAX_REDIRECTS = 20;

    /** Every URL this browser was sent to, so tests can pick out the codes and states that went by. */
    private final List<URI> visited = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final HttpClient http = HttpClient.newBuilder()
            .cookieHandler(new LoopbackIsSecure(new CookieManager(null, CookiePolicy.ACCEPT_ALL)))
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** A page the browser landed on, or the app redirect it stopped at. */
    public record Page(URI url, int status, String body) {

        public Document document() {
            return Jsoup.parse(body, url.toString());
        }

        public boolean atApp() {
            return url.toString().startsWith(APP_REDIRECT);
        }

        /** The query parameter of the final URL, e.g. the code handed to the app. */
        public String param(String name) {
            String query = url.getRawQuery();
            if (query == null) {
                return null;
            }
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals(name)) {
                    return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
            return null;
        }

        /** The text of Keycloak's or the sandbox's message box, whitespace folded. */
        public String text() {
            return document().body() == null ? "" : document().body().text();
        }
    }

    public Page open(String url) {
        return follow(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    /** Fills the form matched by {@code selector} and submits it with the given button (name=value) or none. */
    public Page submit(Page page, String selector, Map<String, String> fields, String buttonName,
            String buttonValue) {
        Element form = page.document().selectFirst(selector);
        if (form == null) {
            throw new AssertionError("No form " + selector + " on " + page.url() + ":\n" + page.text());
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Element input : form.select("input[name]")) {
            String type = input.attr("type");
            if (!type.equals("submit") && !type.equals("button") && !(type.equals("checkbox") && !input.hasAttr("checked"))) {
                values.put(input.attr("name"), input.attr("value"));
            }
        }
        values.putAll(fields);
        if (buttonName != null) {
            values.put(buttonName, buttonValue);
        }
        String action = form.absUrl("action").isEmpty() ? page.url().toString() : form.absUrl("action");
        String body = values.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return follow(HttpRequest.newBuilder(URI.create(action))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public List<URI> visited() {
        return List.copyOf(visited);
    }

    private Page follow(HttpRequest.Builder request) {
        try {
            HttpRequest first = request.timeout(Duration.ofSeconds(60)).build();
            visited.add(first.uri());
            HttpResponse<String> response = http.send(first, HttpResponse.BodyHandlers.ofString());
            for (int i = 0; i < MAX_REDIRECTS; i++) {
                int status = response.statusCode();
                if (status < 300 || status >= 400) {
                    return new Page(response.uri(), status, response.body());
                }
                URI next = response.uri().resolve(response.headers().firstValue("Location")
                        .orElseThrow(() -> new AssertionError("redirect without Location")));
                visited.add(next);
                if (next.toString().startsWith(APP_REDIRECT)) {
                    return new Page(next, status, "");
                }
                response = http.send(HttpRequest.newBuilder(next).timeout(Duration.ofSeconds(60)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            throw new AssertionError("More than " + MAX_REDIRECTS + " redirects from " + response.uri());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Keycloak marks its cookies Secure even on plain http. Browsers treat localhost as a secure context and send
     * them anyway; Java's CookieManager does not, so for loopback hosts we ask it as if the link were https.
     */
    private static final class LoopbackIsSecure extends CookieHandler {

        private final CookieManager delegate;

        LoopbackIsSecure(CookieManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) throws IOException {
            return delegate.get(loopback(uri) ? asHttps(uri) : uri, headers);
        }

        @Override
        public void put(URI uri, Map<String, List<String>> headers) throws IOException {
            delegate.put(uri, headers);
        }

        private static boolean loopback(URI uri) {
            return "http".equals(uri.getScheme())
                    && ("localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost()));
        }

        private static URI asHttps(URI uri) {
            return URI.create("https" + uri.toString().substring("http".length()));
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
