package io.github.keycloakdrchrono.it;

/** The paths Maven hands the integration tests (see failsafe's systemPropertyVariables in the pom). */
final class TestProperties {

    private TestProperties() {
    }

    static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("System property " + property + " is not set; run the tests with "
                    + "Maven (mvn verify), which sets it.");
        }
        return value;
    }
}
