package io.github.keycloakdrchrono.bench;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.stream.Collectors;

/** The load run as Markdown: where it ran, then one table. */
final class LoadReport {

    private final String keycloakVersion;
    private final String providerVersion;

    LoadReport(String keycloakVersion, String providerVersion) {
        this.keycloakVersion = keycloakVersion;
        this.providerVersion = providerVersion;
    }

    String render(LoadRun.Result r) {
        StringBuilder md = new StringBuilder();
        md.append("## keycloak-drchrono load run\n\n")
                .append("| | |\n|---|---|\n")
                .append("| Date | ").append(OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
                        .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append(" |\n")
                .append("| Machine | nproc ").append(Runtime.getRuntime().availableProcessors())
                .append(", load average (1 min) before the callers started ")
                .append(r.loadAverage() < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f", r.loadAverage()))
                .append(", Java ").append(System.getProperty("java.version")).append(" |\n")
                .append("| Keycloak | ").append(keycloakVersion).append(", start-dev, embedded H2, one node, ")
                .append("-Xmx1g; the callers and the sandbox run on the same machine |\n")
                .append("| keycloak-drchrono | ").append(providerVersion).append(" |\n\n")
                .append("`GET /realms/{realm}/drchrono/drchrono/users/{id}/token` with a service account's bearer ")
                .append("token, round-robin over the users.\n\n")
                .append("| | |\n|---|---:|\n");
        row(md, "Linked users (real sign-ins through the sandbox)", r.users() + " (linked in "
                + r.linking().toSeconds() + " s)");
        row(md, "Concurrent callers", String.valueOf(r.callers()));
        row(md, "Duration", String.format(Locale.ROOT, "%.1f s", r.seconds()));
        row(md, "Calls", String.valueOf(r.calls()));
        row(md, "Throughput", String.format(Locale.ROOT, "%.0f calls/s", r.calls() / r.seconds()));
        row(md, "Latency p50 / p95 / p99 / max", ms(r.sortedNanos(), 50) + " / " + ms(r.sortedNanos(), 95) + " / "
                + ms(r.sortedNanos(), 99) + " / " + ms(r.sortedNanos(), 100) + " ms");
        row(md, "Errors (goal: none)", r.errors().isEmpty() ? "0" : r.errors().values().stream()
                .mapToLong(Long::longValue).sum() + " (" + r.errors().entrySet().stream()
                .map(e -> e.getValue() + " × " + e.getKey()).collect(Collectors.joining(", ")) + ")");
        row(md, "Tokens falling due during the run", r.expiring() + " (requested after falling due: "
                + r.expiringRequestedWhenDue() + ")");
        row(md, "Refresh calls at DrChrono: expected / actual", r.expiringRequestedWhenDue() + " / "
                + r.refreshCalls());
        row(md, "`drchrono_token_refreshes_total{outcome=\"success\"}` increase", String.format(Locale.ROOT, "%.0f",
                r.refreshSuccessMetric()));
        row(md, "Refreshed tokens valid at DrChrono afterwards", r.expiringValidAfter() + " of " + r.expiring());
        row(md, "Keycloak RSS before / after", mib(r.before().rssBytes()) + " / " + mib(r.after().rssBytes()));
        row(md, "Keycloak heap used before / after (`jvm_memory_used_bytes`, area heap)",
                mib((long) r.before().heapUsedBytes()) + " / " + mib((long) r.after().heapUsedBytes()));
        return md.append('\n').toString();
    }

    private static void row(StringBuilder md, String label, String value) {
        md.append("| ").append(label).append(" | ").append(value).append(" |\n");
    }

    /** Nearest rank; 100 is the maximum. */
    private static String ms(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return "-";
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return String.format(Locale.ROOT, "%.1f", sorted[Math.max(0, rank - 1)] / 1_000_000.0);
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "unknown" : String.format(Locale.ROOT, "%.0f MiB", bytes / 1024.0 / 1024.0);
    }
}
