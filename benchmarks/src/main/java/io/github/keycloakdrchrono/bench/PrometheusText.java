package io.github.keycloakdrchrono.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One reading of Keycloak's {@code /metrics} (Prometheus text format) on the management port. */
final class PrometheusText {

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)");

    private final List<String> lines;

    private PrometheusText(List<String> lines) {
        this.lines = lines;
    }

    static PrometheusText read(BenchEnvironment env) {
        HttpResponse<String> response = Http.send(env.app, HttpRequest.newBuilder(URI.create(
                env.keycloak.managementUrl() + "/metrics")).GET().build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Keycloak's /metrics answered " + response.statusCode());
        }
        return new PrometheusText(response.body().lines().toList());
    }

    /** The sum over every series of {@code name} that carries the given label pairs (0 when there is none). */
    double sum(String name, String... labelPairs) {
        double total = 0;
        for (String line : lines) {
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.matches() || !sample.group(1).equals(name)) {
                continue;
            }
            String labels = sample.group(3) == null ? "" : sample.group(3);
            boolean matches = true;
            for (int i = 0; i < labelPairs.length; i += 2) {
                matches &= labels.contains(labelPairs[i] + "=\"" + labelPairs[i + 1] + "\"");
            }
            if (matches) {
                total += Double.parseDouble(sample.group(4));
            }
        }
        return total;
    }

    List<String> lines(String prefix) {
        return lines.stream().filter(line -> line.startsWith(prefix) || line.startsWith("# HELP " + prefix)
                || line.startsWith("# TYPE " + prefix)).toList();
    }
}
