package io.github.keycloakdrchrono.sandbox;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Lets every deliberately slow answer give up the moment the sandbox stops, so stop() never waits on a fault. */
final class StopSignal {

    private final CountDownLatch stopped = new CountDownLatch(1);

    void fire() {
        stopped.countDown();
    }

    /** Waits out {@code duration}; {@code false} if the sandbox stopped first. */
    boolean pause(Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            return stopped.getCount() > 0;
        }
        try {
            return !stopped.await(duration.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until {@code deadline} on the {@link System#nanoTime()} clock; {@code false} if stopped first. */
    boolean pauseUntil(long deadline) {
        return pause(Duration.ofNanos(deadline - System.nanoTime()));
    }
}
