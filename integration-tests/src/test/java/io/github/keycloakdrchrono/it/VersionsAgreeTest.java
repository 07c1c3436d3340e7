package io.github.keycloakdrchrono.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The Keycloak version users run is written in several files that no build reads together: the Maven build
 * tests on pom.xml's {@code keycloak.dist.version}, the Docker image builds whatever its own files say, and the
 * README promises a version. This keeps them equal, so that bumping one without the others fails the build.
 */
@DisplayName("The Keycloak distribution version")
class VersionsAgreeTest {

    private static final String ROOT_PROPERTY = "repository.root";

    private final Path root = repositoryRoot();
    private final String distVersion = pomProperty(root.resolve("pom.xml"), "keycloak.dist.version");

    @Test
    @DisplayName("is a plain release number in pom.xml's keycloak.dist.version")
    void pomNamesARelease() {
        assertThat(distVersion).matches("\\d+\\.\\d+\\.\\d+");
    }

    @Test
    @DisplayName("is the default of the Dockerfile's KEYCLOAK_VERSION argument")
    void dockerfileDefault() {
        List<String> defaults = groups(read("docker/Dockerfile"), "(?m)^ARG\\s+KEYCLOAK_VERSION=(\\S+)\\s*$");

        assertThat(defaults).as("ARG KEYCLOAK_VERSION=... in docker/Dockerfile").containsExactly(distVersion);
    }

    @Test
    @DisplayName("reaches every Keycloak stage of the Dockerfile through that argument, not a fixed tag")
    void dockerfileStagesUseTheArgument() {
        List<String> tags = groups(read("docker/Dockerfile"), "(?m)^FROM\\s+quay\\.io/keycloak/keycloak:(\\S+)");

        assertThat(tags).as("tags of the FROM quay.io/keycloak/keycloak lines in docker/Dockerfile")
                .isNotEmpty()
                .containsOnly("${KEYCLOAK_VERSION}");
    }

    @Test
    @DisplayName("is the KEYCLOAK_VERSION build argument in compose.yaml")
    void composeBuildArgument() {
        List<String> args = groups(read("docker/compose.yaml"), "(?m)^\\s*KEYCLOAK_VERSION:\\s*\"?([^\"\\s]+)\"?\\s*$");

        assertThat(args).as("KEYCLOAK_VERSION: build arguments in docker/compose.yaml").containsExactly(distVersion);
    }

    @Test
    @DisplayName("is the one README says the extension is tested on")
    void readmeTestedOn() {
        List<String> versions = groups(read("README.md"), "tested on the (\\S+) distribution");

        assertThat(versions).as("\"tested on the ... distribution\" in README.md")
                .isNotEmpty()
                .containsOnly(distVersion);
    }

    @Test
    @DisplayName("is the one every \"Keycloak ... distribution\" in README names")
    void readmeDistributionMentions() {
        List<String> versions = groups(read("README.md"), "Keycloak (\\S+) distribution");

        assertThat(versions).as("\"Keycloak ... distribution\" in README.md")
                .isNotEmpty()
                .containsOnly(distVersion);
    }

    @Test
    @DisplayName("falls in the major.minor line README's compatibility table promises")
    void readmeCompatibilityLine() {
        List<String> lines = groups(read("README.md"), "(?m)^\\|\\s*Keycloak\\s*\\|\\s*(\\d+\\.\\d+)\\.x\\b");
        String majorMinor = distVersion.replaceFirst("\\.[^.]*$", "");

        assertThat(lines).as("\"| Keycloak | N.N.x\" row in README.md").containsExactly(majorMinor);
    }

    private String read(String relativePath) {
        Path file = root.resolve(relativePath);
        assertThat(file).as(relativePath + " in the repository").isRegularFile();
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> groups(String text, String regex) {
        List<String> found = new ArrayList<>();
        Matcher matcher = Pattern.compile(regex).matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    /**
     * Surefire passes the root (see this module's pom); an IDE that does not is helped by walking up from the
     * working directory to the folder with {@code .ci}, which only the repository root has.
     */
    private static Path repositoryRoot() {
        String configured = System.getProperty(ROOT_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(".ci")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No repository root: set -D" + ROOT_PROPERTY
                + " or run from inside the repository");
    }

    private static String pomProperty(Path pom, String name) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            Element project = factory.newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
            List<String> values = new ArrayList<>();
            for (Element properties : children(project, "properties")) {
                for (Element property : children(properties, name)) {
                    values.add(property.getTextContent().trim());
                }
            }
            assertThat(values).as("<properties><" + name + "> in " + pom).hasSize(1);
            return values.get(0);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read " + name + " from " + pom, e);
        }
    }

    private static List<Element> children(Element parent, String tagName) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element element && tagName.equals(element.getTagName())) {
                found.add(element);
            }
        }
        return found;
    }
}
