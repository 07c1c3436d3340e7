package io.github.keycloakdrchrono.sandbox;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Serialises answers the way DrChrono's Python stack prints them. */
final class Json {

    static final String CONTENT_TYPE = "application/json";

    // Python's json module puts a space after ':' and ','; recorded DrChrono bodies look like that, and so the
    // documented literals ({"detail": "Not found."}) come out byte for byte.
    private static final ObjectWriter WRITER = new ObjectMapper().writer(new PythonSeparators());

    private Json() {
    }

    static byte[] bytes(Object value) {
        try {
            return WRITER.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Sandbox answer is not serialisable", e);
        }
    }

    private static final class PythonSeparators extends MinimalPrettyPrinter {

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator generator) throws IOException {
            generator.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator generator) throws IOException {
            generator.writeRaw(", ");
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator generator) throws IOException {
            generator.writeRaw(", ");
        }
    }
}
