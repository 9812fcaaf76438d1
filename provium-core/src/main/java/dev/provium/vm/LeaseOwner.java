package dev.provium.vm;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Who VM boots are made for, as the resource pool sees it: normally one Lua test file. Guests booted or resumed
 * on a thread (and on threads it starts) while an owner is {@linkplain #enter entered} are leased to that owner.
 * The pool never makes an owner wait for memory that only it holds: such a request fails at once, saying so.
 * Without an owner, each boot is its own owner.
 */
@API(status = EXPERIMENTAL)
public final class LeaseOwner {

    private static final InheritableThreadLocal<LeaseOwner> CURRENT = new InheritableThreadLocal<>();

    private final String name;

    private LeaseOwner(String name) {
        this.name = name;
    }

    /** An owner named for messages, e.g. the Lua file's path. */
    public static LeaseOwner named(String name) {
        return new LeaseOwner(name);
    }

    /** The owner entered on this thread, or a fresh anonymous one. */
    static LeaseOwner currentOrAnonymous() {
        LeaseOwner owner = CURRENT.get();
        return owner != null ? owner : new LeaseOwner(null);
    }

    /** Makes this the owner of the boots made on this thread until the returned scope is closed. */
    public Scope enter() {
        LeaseOwner previous = CURRENT.get();
        CURRENT.set(this);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /** How the owner is named in messages: {@code "test file x.lua"}, or {@code "this boot"} without a name. */
    String describe() {
        return name == null ? "this boot" : name;
    }

    boolean isNamed() {
        return name != null;
    }

    @Override
    public String toString() {
        return "lease owner " + describe();
    }

    /** Ends {@link #enter()}; never throws. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
