package dev.provium.jupiter;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Registers the {@link ProviumExtension} on a test class: booted {@link dev.provium.vm.Vm} parameters (see
 * {@link Guest}) and {@link LuaTests} in {@code @TestFactory} methods.
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ProviumExtension.class)
@API(status = EXPERIMENTAL)
public @interface Provium {
}
