package io.github.keycloakdrchrono.sandbox;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** django-oauth-toolkit's redirect URI rules, and building the redirect back to the client. */
final class RedirectUris {

    private RedirectUris() {
    }

    /**
     * Scheme, authority and path must be equal; every query parameter of the registered URI must be in the
     * requested one, which may carry more. Authority and path compare as written, without normalising.
     */
    static boolean matches(String requested, String registered) {
        URI candidate;
        URI allowed;
        try {
            candidate = new URI(requested);
            allowed = new URI(registered);
        } catch (URISyntaxException e) {
            return false;
        }
        if (candidate.getScheme() == null || !candidate.getScheme().equalsIgnoreCase(allowed.getScheme())) {
            return false;
        }
        if (!String.valueOf(candidate.getRawAuthority()).equals(String.valueOf(allowed.getRawAuthority()))
                || !String.valueOf(candidate.getRawPath()).equals(String.valueOf(allowed.getRawPath()))) {
            return false;
        }
        return pairs(candidate.getRawQuery()).containsAll(pairs(allowed.getRawQuery()));
    }

    /** {@code redirectUri} with the parameters appended to whatever query it already has. */
    static String withParams(String redirectUri, Map<String, String> params) {
        int hash = redirectUri.indexOf('#');
        String base = hash < 0 ? redirectUri : redirectUri.substring(0, hash);
        StringBuilder out = new StringBuilder(base);
        char separator = base.contains("?") ? '&' : '?';
        for (Map.Entry<String, String> param : params.entrySet()) {
            if (param.getValue() == null) {
                continue;
            }
            out.append(separator)
                    .append(URLEncoder.encode(param.getKey(), StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(param.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return out.toString();
    }

    private static Set<List<String>> pairs(String rawQuery) {
        Set<List<String>> pairs = new HashSet<>();
        Request.decode(rawQuery).forEach((name, values) -> values.forEach(value -> pairs.add(List.of(name, value))));
        return pairs;
    }
}
