import com.sun.net.httpserver.HttpServer;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Stands in for Keycloak's JVM in the launcher's fast tests: run by a fake kc.sh with the JDK's source launcher,
 * it answers the launcher's readiness probes on the ports it is given and runs until it is signalled.
 */
public class FakeKeycloak {

    public static void main(String[] args) throws Exception {
        int httpPort = 0;
        int managementPort = 0;
        for (String arg : args) {
            if (arg.startsWith("--http-port=")) {
                httpPort = Integer.parseInt(arg.substring("--http-port=".length()));
            } else if (arg.startsWith("--http-management-port=")) {
                managementPort = Integer.parseInt(arg.substring("--http-management-port=".length()));
            }
        }
        // Printed first so the line is in the log before the probes can succeed.
        System.out.println("fake keycloak listening on " + httpPort + " and " + managementPort);
        serve(httpPort, "/realms/master", "{\"realm\":\"master\"}");
        serve(managementPort, "/health/ready", "{\"status\":\"UP\"}");
        Thread.currentThread().join();
    }

    private static void serve(int port, String path, String body) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }
}
