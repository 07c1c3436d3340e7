package io.github.keycloakdrchrono.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieHandler;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLDecoder;
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
 * Just enough of a browser without JavaScript to sign a user in: cookies, redirects, HTML forms. Adapted from
 * integration-tests' {@code Browser} (test classes are not published), keeping only what a sign-in needs. It stops
 * at the app's redirect URI, which no server answers.
 */
final class Browser {

    /** Where the benchmark's app wants the browser back; never contacted. */
    static final String APP_REDIRECT = "http://app.invalid/callback";

    private static final int MAX_REDIRECTS = 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder()
            .cookieHandler(new LoopbackIsSecure(new CookieManager(null, CookiePolicy.ACCEPT_ALL)))
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** A page the browser landed on, or the app redirect it stopped at. */
    record Page(URI url, int status, String body) {

        Document document() {
            return Jsoup.parse(body, url.toString());
        }

        boolean atApp() {
            return url.toString().startsWith(APP_REDIRECT);
        }

        /** A query parameter of the page's URL, e.g. the code Keycloak hands the app. */
        String param(String name) {
            String query = url.getRawQuery();
            if (query != null) {
                for (String pair : query.split("&")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0 && pair.substring(0, eq).equals(name)) {
                        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    }
                }
            }
            return null;
        }

        /** For failure messages: the page's text, without markup. */
        String text() {
            return document().text();
        }
    }

    Page open(String url) {
        return follow(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    /**
     * Submits the form matched by {@code selector} with its own fields, overridden by {@code fields}; a submit
     * button's name and value go in {@code fields} too.
     */
    Page submit(Page page, String selector, Map<String, String> fields) {
        Element form = page.document().selectFirst(selector);
        if (form == null) {
            throw new IllegalStateException("No form " + selector + " on " + page.url() + ":\n" + page.text());
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Element input : form.select("input[name]")) {
            String type = input.attr("type");
            boolean unchecked = type.equals("checkbox") && !input.hasAttr("checked");
            if (!type.equals("submit") && !type.equals("button") && !unchecked) {
                values.put(input.attr("name"), input.attr("value"));
            }
        }
        values.putAll(fields);
        String action = form.absUrl("action").isEmpty() ? page.url().toString() : form.absUrl("action");
        String body = values.entrySet().stream()
                .map(e -> Http.enc(e.getKey()) + "=" + Http.enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return follow(HttpRequest.newBuilder(URI.create(action))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private Page follow(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (int i = 0; i < MAX_REDIRECTS; i++) {
                int status = response.statusCode();
                if (status < 300 || status >= 400) {
                    return new Page(response.uri(), status, response.body());
                }
                URI from = response.uri();
                URI next = from.resolve(response.headers().firstValue("Location")
                        .orElseThrow(() -> new IllegalStateException("Redirect without Location from " + from)));
                if (next.toString().startsWith(APP_REDIRECT)) {
                    return new Page(next, status, "");
                }
                response = http.send(HttpRequest.newBuilder(next).timeout(TIMEOUT).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            throw new IllegalStateException("More than " + MAX_REDIRECTS + " redirects from " + response.uri());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Keycloak marks its cookies Secure even on plain http. Browsers treat localhost as a secure context and send
     * them anyway; Java's CookieManager does not, so for loopback hosts it is asked as if the link were https.
     */
    private static final class LoopbackIsSecure extends CookieHandler {

        private final CookieManager delegate;

        LoopbackIsSecure(CookieManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) throws IOException {
            boolean loopback = "http".equals(uri.getScheme())
                    && ("localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost()));
            return delegate.get(loopback ? URI.create("https" + uri.toString().substring(4)) : uri, headers);
        }

        @Override
        public void put(URI uri, Map<String, List<String>> headers) throws IOException {
            delegate.put(uri, headers);
        }
    }
}
