package io.github.keycloakdrchrono.bench;

import java.time.Duration;
import java.util.Map;

/**
 * What one refresh storm did.
 *
 * @param nodes          Keycloak nodes the callers were spread over, in turn
 * @param refreshLatency how long DrChrono (the sandbox) took per refresh
 * @param refreshCalls   refresh requests DrChrono (the sandbox) received during the storm
 * @param served         callers answered 200 with an access token
 * @param distinctTokens different access tokens among those answers
 * @param workingTokens  of those, how many DrChrono accepts once the storm is over
 * @param otherAnswers   the other callers' answers: HTTP status and body kind (JSON, HTML) to count
 * @param slowestMillis  the slowest caller's wait
 * @param nextCallStatus the status of one more call after the storm
 * @param nextCallWorks  whether that call handed out a token DrChrono accepts
 */
record StormResult(Provider provider, int nodes, Duration refreshLatency, int callers, long refreshCalls, int served,
        int distinctTokens, int workingTokens, Map<String, Long> otherAnswers, double slowestMillis,
        int nextCallStatus, boolean nextCallWorks) {
}
