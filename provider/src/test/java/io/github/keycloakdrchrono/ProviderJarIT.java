package io.github.keycloakdrchrono;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged jar, as an admin copies it into providers/: the login theme from {@code themes/} travels inside it,
 * where Keycloak looks for it, byte for byte (no Maven filtering of the templates' {@code ${...}}).
 */
@DisplayName("The provider jar")
class ProviderJarIT {

    private static final String THEME = "theme/drchrono/login/";

    private static JarFile jar;
    private static Path themes;

    @BeforeAll
    static void open() throws IOException {
        jar = new JarFile(required("provider.jar"));
        themes = Path.of(required("themes.dir"));
    }

    @AfterAll
    static void close() throws IOException {
        jar.close();
    }

    @Nested
    @DisplayName("given the drchrono login theme")
    class Theme {

        @Test
        @DisplayName("then META-INF/keycloak-themes.json declares it as a login theme")
        void declared() throws IOException {
            JsonNode declared = new ObjectMapper().readTree(text("META-INF/keycloak-themes.json"));

            assertThat(declared.path("themes")).hasSize(1);
            assertThat(declared.path("themes").get(0).path("name").asText()).isEqualTo("drchrono");
            assertThat(declared.path("themes").get(0).path("types").toString()).isEqualTo("[\"login\"]");
        }

        @Test
        @DisplayName("then every file of themes/drchrono is in the jar under theme/drchrono, unchanged")
        void everyFileUnchanged() throws IOException {
            Path source = themes.resolve("drchrono");
            List<Path> files;
            try (Stream<Path> walk = Files.walk(source)) {
                files = walk.filter(Files::isRegularFile).toList();
            }

            assertThat(files).hasSizeGreaterThanOrEqualTo(6);
            for (Path file : files) {
                String entry = "theme/drchrono/" + source.relativize(file).toString().replace('\\', '/');
                assertThat(bytes(entry)).as(entry).isEqualTo(Files.readAllBytes(file));
            }
        }

        @Test
        @DisplayName("then it extends Keycloak's default login theme and keeps the parent's stylesheet")
        void extendsKeycloakV2() throws IOException {
            Properties properties = properties(THEME + "theme.properties");

            assertThat(properties.getProperty("parent")).isEqualTo("keycloak.v2");
            assertThat(properties.getProperty("styles").split(" ")).containsExactly("css/styles.css",
                    "css/drchrono.css");
        }

        @Test
        @DisplayName("then the template asks for the button label, the stylesheet for the mark, and both exist")
        void referencesResolve() throws Exception {
            assertThat(text(THEME + "social-providers.ftl")).contains("msg(\"drchronoLoginButton\"")
                    .contains("class=\"drchrono-mark\"");
            assertThat(text(THEME + "resources/css/drchrono.css")).contains("url(\"../img/drchrono-mark.svg\")");

            try (InputStream svg = jar.getInputStream(entry(THEME + "resources/img/drchrono-mark.svg"))) {
                var root = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg).getDocumentElement();
                assertThat(root.getTagName()).isEqualTo("svg");
                assertThat(root.getAttribute("viewBox")).isEqualTo("0 0 24 24");
            }
        }
    }

    @Nested
    @DisplayName("given the texts users read")
    class Messages {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {THEME + "messages/", "theme-resources/messages/"})
        @DisplayName("then English and Spanish have the same keys, and no value is empty")
        void sameKeys(String folder) throws IOException {
            Properties en = properties(folder + "messages_en.properties");
            Properties es = properties(folder + "messages_es.properties");

            assertThat(en).isNotEmpty();
            assertThat(es.keySet()).containsExactlyInAnyOrderElementsOf(en.keySet());
            Stream.concat(en.values().stream(), es.values().stream())
                    .forEach(value -> assertThat(value.toString()).isNotBlank());
        }
    }

    private static JarEntry entry(String name) {
        JarEntry entry = jar.getJarEntry(name);
        assertThat(entry).as("%s in %s", name, jar.getName()).isNotNull();
        return entry;
    }

    private static byte[] bytes(String name) {
        try (InputStream in = jar.getInputStream(entry(name))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    /** Keycloak reads message bundles as UTF-8, so the test does too. */
    private static Properties properties(String name) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(text(name)));
        return properties;
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + property + " is not set; run through Maven");
        }
        return value;
    }
}
