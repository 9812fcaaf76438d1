package dev.provium.jupiter;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a nested test class that is an input of a test (run through EngineTestKit by {@link JupiterKit}), some
 * of its tests failing on purpose: it runs only when the kit sets {@link JupiterKit#ENABLED}, never in Surefire's
 * or an IDE's own run (where Surefire's default excludes of nested classes would already keep it out).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(TestKitOnly.Condition.class)
@interface TestKitOnly {

    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(JupiterKit.ENABLED).isPresent()
                    ? ConditionEvaluationResult.enabled("run by JupiterKit")
                    : ConditionEvaluationResult.disabled("an input of a JupiterKit test, run only through it");
        }
    }
}
