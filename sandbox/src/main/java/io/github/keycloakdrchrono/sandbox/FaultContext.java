package io.github.keycloakdrchrono.sandbox;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Supplier;

/** What a {@link Fault} may do with the call it hit: answer in its place, or let the real answer through late. */
final class FaultContext {

    private final HttpExchange exchange;
    private final Supplier<Response> normalAnswer;
    private final StopSignal stop;
    private final boolean retryAfterHeader;

    FaultContext(HttpExchange exchange, Supplier<Response> normalAnswer, StopSignal stop, boolean retryAfterHeader) {
        this.exchange = exchange;
        this.normalAnswer = normalAnswer;
        this.stop = stop;
        this.retryAfterHeader = retryAfterHeader;
    }

    void send(Response response) throws IOException {
        ResponseWriter.write(exchange, response);
    }

    void answerNormally() throws IOException {
        send(normalAnswer.get());
    }

    void dripNormalAnswer(Duration total) throws IOException {
        ResponseWriter.drip(exchange, normalAnswer.get(), total, stop);
    }

    /** {@code false} when the sandbox stopped during the pause; the caller then answers nothing. */
    boolean pause(Duration duration) {
        return stop.pause(duration);
    }

    boolean retryAfterHeader() {
        return retryAfterHeader;
    }
}
