package io.github.keycloakdrchrono.sandbox;

import java.util.List;
import java.util.Map;

/**
 * The sandbox's HTML. Element ids ({@code signin}, {@code consent}, {@code username}, {@code password},
 * {@code scopes}, {@code demo-users}) are kept stable because browser tests find their way by them.
 */
final class Pages {

    private static final String STYLE = """
            body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2733;background:#f3f5f7;\
            margin:0}
            main{max-width:36rem;margin:3rem auto;padding:2rem 2.25rem;background:#fff;border-radius:8px;\
            box-shadow:0 1px 4px rgba(0,0,0,.12)}
            h1{font-size:1.35rem;margin:.5rem 0}
            h2{font-size:1.05rem;margin:2rem 0 .25rem}
            .banner{font-size:.8rem;color:#7a5200;background:#fff4d6;padding:.35rem .75rem;border-radius:4px}
            .error{background:#fdecea;color:#8a1c12;padding:.6rem .8rem;border-radius:4px}
            label{display:block;margin-top:1rem;font-weight:600}
            input{width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #b8c2cc;border-radius:4px;\
            font:inherit}
            button{margin:1.25rem .5rem 0 0;padding:.55rem 1.3rem;border:0;border-radius:4px;font:inherit;\
            cursor:pointer;background:#0b6bcb;color:#fff}
            button.secondary{background:#e4e8ec;color:#1d2733}
            table{border-collapse:collapse;width:100%;font-size:.9rem}
            th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e4e8ec}
            code{background:#eef1f4;padding:0 .25rem;border-radius:3px}
            ul{padding-left:1.25rem}
            """;

    private Pages() {
    }

    static Response signIn(AuthorizationRequest request, List<SandboxUser> users, String error,
            String typedUsername) {
        StringBuilder body = new StringBuilder()
                .append("<h1>Sign in to DrChrono</h1>\n")
                .append("<p><strong>").append(Html.escape(request.clientId()))
                .append("</strong> wants to connect to your DrChrono account.</p>\n");
        if (error != null) {
            body.append("<p class=\"error\" role=\"alert\">").append(Html.escape(error)).append("</p>\n");
        }
        body.append("<form id=\"signin\" method=\"post\" action=\"").append(Route.AUTHORIZE_PATH).append("\">\n");
        for (Map.Entry<String, String> param : request.echoed().entrySet()) {
            hidden(body, param.getKey(), param.getValue());
        }
        body.append("<label for=\"username\">Username</label>\n")
                .append("<input id=\"username\" name=\"username\" autocomplete=\"username\" required autofocus")
                .append(" value=\"").append(Html.escape(typedUsername)).append("\">\n")
                .append("<label for=\"password\">Password</label>\n")
                .append("<input id=\"password\" name=\"password\" type=\"password\"")
                .append(" autocomplete=\"current-password\" required>\n")
                .append("<button type=\"submit\">Sign in</button>\n</form>\n");
        demoUsers(body, users);
        return page(200, "Sign in - DrChrono sandbox", body);
    }

    static Response consent(AuthorizationRequest request, SandboxUser user, String nonce) {
        String client = Html.escape(request.clientId());
        StringBuilder body = new StringBuilder()
                .append("<h1>Authorize ").append(client).append("</h1>\n")
                .append("<p>Signed in as <strong>").append(Html.escape(user.username())).append("</strong>")
                .append(displayName(user)).append(".</p>\n")
                .append("<p><strong>").append(client)
                .append("</strong> asks for access to your DrChrono account with these scopes:</p>\n")
                .append("<form id=\"consent\" method=\"post\" action=\"").append(Route.AUTHORIZE_PATH).append("\">\n")
                .append("<ul id=\"scopes\">\n");
        for (String scope : request.scopes()) {
            body.append("<li><code>").append(Html.escape(scope)).append("</code></li>\n");
        }
        body.append("</ul>\n")
                .append("<p>You will be sent back to <code>").append(Html.escape(request.redirectUri()))
                .append("</code>.</p>\n");
        hidden(body, "session", nonce);
        body.append("<button type=\"submit\" name=\"action\" value=\"approve\">Approve</button>\n")
                .append("<button type=\"submit\" name=\"action\" value=\"cancel\" class=\"secondary\">")
                .append("Cancel</button>\n")
                .append("</form>\n");
        return page(200, "Authorize " + request.clientId() + " - DrChrono sandbox", body);
    }

    /** The page oauthlib's fatal errors get: no redirect, because the redirect target is not trusted. */
    static Response error(int status, String message) {
        StringBuilder body = new StringBuilder()
                .append("<h1>Error</h1>\n")
                .append("<p class=\"error\" role=\"alert\">").append(Html.escape(message)).append("</p>\n");
        return page(status, "Error - DrChrono sandbox", body);
    }

    static Response index(String baseUrl, List<SandboxUser> users) {
        String base = Html.escape(baseUrl);
        StringBuilder body = new StringBuilder()
                .append("<h1>DrChrono sandbox</h1>\n")
                .append("<p>A stand-in for DrChrono's OAuth 2.0 server and user API.</p>\n<ul>\n")
                .append("<li>authorize: <code>").append(base).append(Route.AUTHORIZE_PATH).append("</code></li>\n")
                .append("<li>token: <code>").append(base).append(Route.TOKEN_PATH).append("</code></li>\n")
                .append("<li>revoke: <code>").append(base).append(Route.REVOKE_PATH).append("</code></li>\n")
                .append("<li>API: <code>").append(base).append("/api/</code></li>\n</ul>\n");
        demoUsers(body, users);
        return page(200, "DrChrono sandbox", body);
    }

    /** Django's plain 404, for paths DrChrono does not serve. */
    static Response notFound() {
        return Response.html(404, "<h1>Not Found</h1><p>The requested resource was not found on this server.</p>");
    }

    private static void demoUsers(StringBuilder body, List<SandboxUser> users) {
        body.append("<h2>Demo users</h2>\n")
                .append("<p>The demo users share the password <code>").append(SandboxUsers.DEMO_PASSWORD)
                .append("</code>.</p>\n")
                .append("<table id=\"demo-users\">\n<thead><tr><th>Username</th><th>Password</th><th>Role</th>")
                .append("<th>Name</th></tr></thead>\n<tbody>\n");
        for (SandboxUser user : users) {
            body.append("<tr><td><code>").append(Html.escape(user.username())).append("</code></td><td><code>")
                    .append(Html.escape(user.password())).append("</code></td><td>")
                    .append(user.isDoctor() ? "Doctor" : "Staff").append("</td><td>")
                    .append(Html.escape(user.firstName())).append(' ').append(Html.escape(user.lastName()))
                    .append("</td></tr>\n");
        }
        body.append("</tbody>\n</table>\n");
    }

    private static String displayName(SandboxUser user) {
        String name = (nullToEmpty(user.firstName()) + " " + nullToEmpty(user.lastName())).trim();
        return name.isEmpty() ? "" : " (" + Html.escape(name) + ")";
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }

    private static void hidden(StringBuilder body, String name, String value) {
        body.append("<input type=\"hidden\" name=\"").append(Html.escape(name)).append("\" value=\"")
                .append(Html.escape(value)).append("\">\n");
    }

    private static Response page(int status, String title, StringBuilder body) {
        String html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + Html.escape(title) + "</title>\n<style>\n" + STYLE + "</style>\n</head>\n<body>\n<main>\n"
                + "<p class=\"banner\">DrChrono sandbox: a test stand-in, not DrChrono.</p>\n"
                + body + "</main>\n</body>\n</html>\n";
        // No form-action directive: browsers apply it to the redirect that follows the consent form, and that
        // redirect leaves for the client's origin by design.
        return Response.html(status, html)
                .withHeader("Cache-Control", "no-store")
                .withHeader("X-Frame-Options", "DENY")
                .withHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    }
}
