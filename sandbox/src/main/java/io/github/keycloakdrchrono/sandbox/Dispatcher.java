package io.github.keycloakdrchrono.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;

/** Every request's path through the sandbox: route, count, scripted fault or real answer. */
final class Dispatcher implements HttpHandler {

    private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());

    private final Counters counters;
    private final Faults faults;
    private final StopSignal stop;
    private final boolean retryAfterHeader;
    private final AuthorizeHandler authorize;
    private final TokenHandler token;
    private final RevokeHandler revoke;
    private final ApiHandler api;
    private final Supplier<Response> index;

    Dispatcher(Counters counters, Faults faults, StopSignal stop, boolean retryAfterHeader,
            AuthorizeHandler authorize, TokenHandler token, RevokeHandler revoke, ApiHandler api,
            Supplier<Response> index) {
        this.counters = counters;
        this.faults = faults;
        this.stop = stop;
        this.retryAfterHeader = retryAfterHeader;
        this.authorize = authorize;
        this.token = token;
        this.revoke = revoke;
        this.api = api;
        this.index = index;
    }

    @Override
    public void handle(HttpExchange exchange) {
        try {
            serve(exchange);
        } catch (IOException e) {
            // The client hung up mid-answer, which the timeout tests do on purpose: nobody is left to tell.
            LOG.log(System.Logger.Level.DEBUG, "Client went away", e);
        } finally {
            exchange.close();
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        Request request;
        try {
            request = Request.read(exchange);
        } catch (Halt halt) {
            ResponseWriter.write(exchange, halt.response());
            return;
        }
        Optional<Route> matched = Route.match(request);
        if (matched.isEmpty()) {
            ResponseWriter.write(exchange, unrouted(request));
            return;
        }
        Route route = matched.get();
        counters.record(route.endpoint());
        Optional<Fault> fault = faults.take(route.endpoint());
        if (route.endpoint() == Endpoint.TOKEN_REFRESH && !stop.pause(faults.refreshLatency())) {
            return;
        }
        Supplier<Response> answer = () -> answer(route, request);
        if (fault.isPresent()) {
            fault.get().action().perform(new FaultContext(exchange, answer, stop, retryAfterHeader));
        } else {
            ResponseWriter.write(exchange, answer.get());
        }
    }

    private Response answer(Route route, Request request) {
        try {
            return switch (route.endpoint()) {
                case AUTHORIZE -> authorize.handle(request);
                case TOKEN_CODE, TOKEN_REFRESH -> token.handle(request);
                case REVOKE -> revoke.handle(request);
                case USERS_CURRENT, USER, DOCTOR, STAFF -> api.handle(request, route);
            };
        } catch (Halt halt) {
            return halt.response();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Sandbox failed to answer " + route.endpoint(), e);
            return Response.html(500, "<h1>Server Error (500)</h1>");
        }
    }

    private Response unrouted(Request request) {
        if (request.path().equals("/") && request.method().equals("GET")) {
            return index.get();
        }
        return request.path().startsWith("/api/") ? Response.detail(404, "Not found.") : Pages.notFound();
    }
}
