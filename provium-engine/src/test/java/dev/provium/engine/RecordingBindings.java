package dev.provium.engine;

import dev.provium.lua.LuaBindings;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.provium.lua.FileBindings;
import dev.provium.lua.ResourceScope;
import dev.provium.lua.StringWrapper;
import dev.provium.config.ProviumConfig;
import dev.provium.vm.MissingPrerequisiteException;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Test bindings, installed the way the VM bindings will be: {@code provium.wrap(s)} makes a string wrapper,
 * {@code provium.own(label)} / {@code provium.own_failing(label)} register resources in the current scope,
 * {@code provium.closed()} lists what was closed so far, {@code provium.java_error(msg)} throws a Java exception,
 * and {@code provium.barrier()} waits until {@code parties} files have called it.
 */
final class RecordingBindings implements LuaBindings {

    final List<String> closed = Collections.synchronizedList(new ArrayList<>());
    private final CyclicBarrier barrier;

    RecordingBindings(int parties) {
        this.barrier = new CyclicBarrier(parties);
    }

    RecordingBindings() {
        this(1);
    }

    /** {@code provium.mark(label)} adds the label to {@code marks}. */
    RecordingBindings(List<String> marks) {
        this(1);
        this.marks = marks;
    }

    private List<String> marks = Collections.synchronizedList(new ArrayList<>());

    @Override
    public List<FileBindings> create(ProviumConfig project, ResourceScope engineScope) {
        engineScope.register(() -> closed.add("engine"));
        return List.of((provium, globals, context) -> {
            provium.set("wrap", function(args -> StringWrapper.wrap(args.checkstring(1))));
            provium.set("mark", function(args -> {
                marks.add(args.checkjstring(1));
                return LuaValue.NONE;
            }));
            provium.set("own", function(args -> {
                String label = args.checkjstring(1);
                context.currentScope().register(() -> closed.add(label));
                return LuaValue.NONE;
            }));
            provium.set("own_failing", function(args -> {
                String label = args.checkjstring(1);
                context.currentScope().register(() -> {
                    closed.add(label);
                    throw new IOException("cannot release " + label);
                });
                return LuaValue.NONE;
            }));
            provium.set("closed", function(args -> {
                LuaTable list = new LuaTable();
                synchronized (closed) {
                    closed.forEach(label -> list.set(list.length() + 1, LuaValue.valueOf(label)));
                }
                return list;
            }));
            provium.set("missing_prerequisite", function(args -> {
                throw new MissingPrerequisiteException(args.checkjstring(1));
            }));
            provium.set("java_error", function(args -> {
                throw new IllegalStateException(args.checkjstring(1));
            }));
            provium.set("barrier", function(args -> {
                try {
                    barrier.await(30, TimeUnit.SECONDS);
                    return LuaValue.NONE;
                } catch (TimeoutException | BrokenBarrierException e) {
                    throw new LuaError("only " + barrier.getNumberWaiting() + " of " + barrier.getParties()
                            + " files reached the barrier together: files did not run in parallel");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LuaError("interrupted at the barrier");
                }
            }));
        });
    }

    private static VarArgFunction function(java.util.function.Function<Varargs, Varargs> body) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return body.apply(args);
            }
        };
    }
}
