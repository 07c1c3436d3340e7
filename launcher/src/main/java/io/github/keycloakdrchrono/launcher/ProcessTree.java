package io.github.keycloakdrchrono.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Stops a process together with everything it started. */
final class ProcessTree {

    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private ProcessTree() {
    }

    /**
     * Sends SIGTERM to the root and all its descendants, waits up to {@code grace}, then kills whatever is left.
     *
     * @return true when no process of the tree is alive any more
     */
    static boolean stop(ProcessHandle root, Duration grace) {
        // kc.sh forwards TERM to its java child, but signalling the child as well also covers a script that
        // has not installed its trap yet, and a java that outlived its script.
        List<ProcessHandle> tree = snapshot(root);
        tree.forEach(ProcessHandle::destroy);
        if (awaitExit(tree, grace)) {
            return true;
        }
        List<ProcessHandle> survivors = snapshot(root);
        survivors.addAll(tree);
        survivors.forEach(ProcessHandle::destroyForcibly);
        return awaitExit(survivors, KILL_WAIT);
    }

    private static List<ProcessHandle> snapshot(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        tree.add(root);
        return tree;
    }

    private static boolean awaitExit(List<ProcessHandle> processes, Duration timeout) {
        CompletableFuture<?>[] exits = processes.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return processes.stream().noneMatch(ProcessHandle::isAlive);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return processes.stream().noneMatch(ProcessHandle::isAlive);
        }
    }
}
