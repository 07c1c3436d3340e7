package io.github.keycloakdrchrono.drchrono;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reading DrChrono's JSON as untrusted input: bounded nesting and sizes, and typed accessors that accept the
 * shapes DrChrono is known to send (integers for ids, booleans for flags) plus the string forms its own OpenAPI
 * file claims, and nothing else.
 */
public final class Json {

    /** DrChrono's documents are two levels deep; a hundred levels is an attack or a bug. */
    private static final int MAX_NESTING = 32;
    private static final int MAX_STRING_LENGTH = 64 * 1024;
    private static final int MAX_NUMBER_LENGTH = 30;

    static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING)
                            .maxStringLength(MAX_STRING_LENGTH)
                            .maxNumberLength(MAX_NUMBER_LENGTH)
                            .build())
                    // Parse errors otherwise quote the offending text, which may be a token.
                    .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Json() {
    }

    static JsonNode parse(byte[] body, String endpoint) {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw DrChronoException.badResponse(endpoint, "empty body");
            }
            return node;
        } catch (IOException e) {
            // The parser's message can quote the body; keep only the kind of failure.
            throw DrChronoException.badResponse(endpoint, "malformed JSON: " + e.getClass().getSimpleName());
        }
    }

    /** A non-blank string, trimmed; numbers and booleans are not silently turned into text. */
    public static String text(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return null;
        }
        String value = node.textValue().trim();
        return value.isEmpty() ? null : value;
    }

    /** An integral number, or a string of digits as DrChrono's OpenAPI file types ids. */
    public static Long wholeNumber(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isTextual()) {
            String value = node.textValue().trim();
            // ASCII digits only: Long.parseLong also reads Arabic-Indic or full-width digits, which no id is.
            if (!value.isEmpty() && value.length() <= 18 && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Long.parseLong(value);
            }
        }
        return null;
    }

    /** A JSON boolean, or the strings "true"/"false"; anything else is unknown (null). */
    public static Boolean flag(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isTextual()) {
            String value = node.textValue().trim();
            if (value.equalsIgnoreCase("true")) {
                return Boolean.TRUE;
            }
            if (value.equalsIgnoreCase("false")) {
                return Boolean.FALSE;
            }
        }
        return null;
    }
}
