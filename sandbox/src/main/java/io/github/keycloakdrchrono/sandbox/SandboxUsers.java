package io.github.keycloakdrchrono.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Consumer;

/** The accounts the sandbox knows, keyed by username. Safe to change while requests are served. */
public final class SandboxUsers {

    /** The password every demo user signs in with. */
    public static final String DEMO_PASSWORD = "sandbox";

    private final List<SandboxUser> initial;
    private final Map<String, SandboxUser> byUsername = new LinkedHashMap<>();

    SandboxUsers(List<SandboxUser> initial) {
        this.initial = List.copyOf(initial);
        restore();
    }

    /** Every account, in the order they were added. */
    public synchronized List<SandboxUser> list() {
        return List.copyOf(byUsername.values());
    }

    public synchronized Optional<SandboxUser> find(String username) {
        return Optional.ofNullable(byUsername.get(username));
    }

    /** Like {@link #find} but for accounts a test knows exist. */
    public SandboxUser get(String username) {
        return find(username).orElseThrow(() -> new NoSuchElementException("No sandbox user " + username));
    }

    /** Adds an account; its username and user id must be new. */
    public synchronized void add(SandboxUser user) {
        if (byUsername.containsKey(user.username())) {
            throw new IllegalArgumentException("Username already taken: " + user.username());
        }
        if (byUsername.values().stream().anyMatch(existing -> existing.id() == user.id())) {
            throw new IllegalArgumentException("User id already taken: " + user.id());
        }
        byUsername.put(user.username(), user);
    }

    /**
     * Changes an account in place. The username stays, because issued tokens refer to the account by it; a test
     * that needs another username adds another account.
     */
    public synchronized SandboxUser update(String username, Consumer<SandboxUser.Builder> changes) {
        SandboxUser.Builder builder = get(username).toBuilder();
        changes.accept(builder);
        SandboxUser updated = builder.build();
        if (!updated.username().equals(username)) {
            throw new IllegalArgumentException("A sandbox user's username cannot change: " + username);
        }
        byUsername.put(username, updated);
        return updated;
    }

    public synchronized boolean remove(String username) {
        return byUsername.remove(username) != null;
    }

    synchronized Optional<SandboxUser> findDoctor(long doctorId) {
        return byUsername.values().stream()
                .filter(user -> user.isDoctor() && user.doctor() == doctorId)
                .findFirst();
    }

    synchronized List<SandboxUser> staffOf(long practiceGroup) {
        List<SandboxUser> staff = new ArrayList<>();
        for (SandboxUser user : byUsername.values()) {
            if (user.isStaff() && user.practiceGroup() == practiceGroup) {
                staff.add(user);
            }
        }
        staff.sort((a, b) -> Long.compare(a.staffId(), b.staffId()));
        return staff;
    }

    /** Back to the accounts the sandbox was built with. */
    synchronized void restore() {
        byUsername.clear();
        initial.forEach(this::add);
    }
}
