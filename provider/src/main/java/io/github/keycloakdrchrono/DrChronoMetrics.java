package io.github.keycloakdrchrono;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * DrChrono logins, token refreshes, hand-outs and calls to DrChrono, on Keycloak's own metrics endpoint
 * ({@code /metrics} on the management port, Prometheus format).
 *
 * <p>Keycloak 26 publishes whatever is registered in Micrometer's global registry, which is what its own password
 * counter uses; with {@code metrics-enabled=false} (Keycloak's default) nothing is registered and every method
 * here returns at once.
 *
 * <p>Tags are bounded on purpose: an outcome from a fixed list, the DrChrono endpoint, the HTTP status class. No
 * realm, provider alias, client or user: a deployment with a realm per practice would multiply every series by
 * the number of practices, and events already tell which realm and user a failure belongs to.
 */
public final class DrChronoMetrics {

    static final String LOGINS = "drchrono.logins";
    static final String REFRESHES = "drchrono.token.refreshes";
    static final String HAND_OUTS = "drchrono.token.handouts";
    static final String REQUESTS = "drchrono.requests";

    /** Null while metrics are off. */
    private static volatile MeterRegistry registry;

    private DrChronoMetrics() {
    }

    /** Called once at start-up with Micrometer's global registry, or null when Keycloak's metrics are off. */
    public static void publishTo(MeterRegistry target) {
        registry = target;
    }

    /**
     * A DrChrono callback: {@code success} when DrChrono gave us the user (Keycloak's broker flow takes over from
     * there), otherwise the {@code reason} of the login-error event.
     */
    public static void login(String outcome) {
        MeterRegistry target = registry;
        if (target != null) {
            Counter.builder(LOGINS)
                    .description("DrChrono sign-ins that came back to Keycloak, by outcome")
                    .tag("outcome", outcome)
                    .register(target)
                    .increment();
        }
    }

    /** A refresh call to DrChrono: {@code success}, or the DrChrono failure reason, e.g. {@code drchrono_timeout}. */
    public static void refresh(String outcome) {
        MeterRegistry target = registry;
        if (target != null) {
            Counter.builder(REFRESHES)
                    .description("Refresh calls to DrChrono, by outcome")
                    .tag("outcome", outcome)
                    .register(target)
                    .increment();
        }
    }

    /**
     * A request for a user's DrChrono token.
     *
     * @param via     {@code broker} (Keycloak's broker token endpoint), {@code service} (ours, for backends) or
     *                {@code exchange} (token exchange)
     * @param outcome {@code served}, {@code refused} (the caller may not ask), or why there was no token to give
     */
    public static void handOut(String via, String outcome) {
        MeterRegistry target = registry;
        if (target != null) {
            Counter.builder(HAND_OUTS)
                    .description("Requests for a user's DrChrono access token, by way in and outcome")
                    .tag("via", via)
                    .tag("outcome", outcome)
                    .register(target)
                    .increment();
        }
    }

    /**
     * How long one HTTP call to DrChrono took.
     *
     * @param endpoint which call, e.g. {@code token} or {@code users/current}; never a URL (URLs hold ids)
     * @param status   the HTTP status, or 0 when DrChrono gave no answer
     * @param timedOut whether the call ended on a timeout
     */
    public static void drChronoCall(String endpoint, int status, boolean timedOut, long nanos) {
        MeterRegistry target = registry;
        if (target != null) {
            Timer.builder(REQUESTS)
                    .description("HTTP calls to DrChrono, by endpoint and status class")
                    .tag("endpoint", endpoint)
                    .tag("status", statusClass(status, timedOut))
                    .register(target)
                    .record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    static String statusClass(int status, boolean timedOut) {
        if (timedOut) {
            return "timeout";
        }
        if (status < 100 || status > 599) {
            return "no_answer";
        }
        return (status / 100) + "xx";
    }
}
