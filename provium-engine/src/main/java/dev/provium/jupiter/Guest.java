package dev.provium.jupiter;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.apiguardian.api.API;

/**
 * How the {@link ProviumExtension} starts the {@link dev.provium.vm.Vm} injected into the annotated parameter.
 * Without it: the {@code default} profile booted with 512M and one vCPU. A guest injected into a test method (or
 * {@code @BeforeEach}/{@code @AfterEach}, or the constructor of a per-method test instance) lives for that
 * test; one injected into a {@code @BeforeAll} method or the constructor of a
 * {@code @TestInstance(PER_CLASS)} class lives until the class is done.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@API(status = EXPERIMENTAL)
public @interface Guest {

    /** The profile from provium.toml; default: the built-in {@code default} profile. */
    String profile() default "";

    /** Guest memory, e.g. {@code "256M"}; default 512M. */
    String memory() default "";

    /** Number of vCPUs; default (0) one. */
    int cpus() default 0;

    /**
     * Files injected into the guest before boot, each {@code "guest path=host path"}; a relative host path
     * resolves against the project directory (where provium.toml is).
     */
    String[] files() default {};

    /**
     * Resume this fixture ({@code fixtures/<name>.lua} under a test root) instead of booting: the guest is a
     * copy of the VM its script prepared. The fixture's script decides profile, memory and files, so those
     * attributes must be left unset.
     */
    String fixture() default "";
}
