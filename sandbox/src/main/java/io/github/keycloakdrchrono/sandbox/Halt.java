package io.github.keycloakdrchrono.sandbox;

/**
 * Ends a request early with a finished answer. Validation runs several levels deep in the handlers; throwing the
 * answer keeps each check a single line instead of threading error results back up.
 */
final class Halt extends RuntimeException {

    private final transient Response response;

    Halt(Response response) {
        super(null, null, false, false);
        this.response = response;
    }

    Response response() {
        return response;
    }
}
