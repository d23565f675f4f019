package io.github.fer4j;

import java.lang.reflect.InvocationTargetException;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a class of {@code @FuzzTest}s, with the reason, on a JVM where Jazzer cannot attach its agent (a runtime
 * without jdk.attach, {@code -XX:+DisableAttachMechanism}): Jazzer would otherwise fail every fuzz test there,
 * even in regression mode. The fixed findings also have plain unit tests, which run everywhere.
 */
public final class JazzerAgentAvailable implements ExecutionCondition {
    /** Jazzer's copy of Byte Buddy's agent loader; Jazzer asks it for the same instrumentation later. */
    private static final String AGENT_LOADER = "com.code_intelligence.jazzer.third_party.net.bytebuddy.agent.ByteBuddyAgent";
    private static ConditionEvaluationResult result;

    @Override
    public synchronized ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (result == null) {
            result = attach();
        }
        return result;
    }

    private static ConditionEvaluationResult attach() {
        Class<?> loader;
        try {
            loader = Class.forName(AGENT_LOADER);
        } catch (ClassNotFoundException e) {
            // Another Jazzer version: let Jazzer attach (and report) by itself.
            return ConditionEvaluationResult.enabled("Jazzer attaches its agent itself");
        }
        try {
            loader.getMethod("install").invoke(null);
            return ConditionEvaluationResult.enabled("Jazzer's agent is attached");
        } catch (InvocationTargetException e) {
            return ConditionEvaluationResult.disabled("Jazzer's agent cannot attach to this JVM (" + e.getCause()
                    + "): fuzz tests skipped");
        } catch (ReflectiveOperationException e) {
            return ConditionEvaluationResult.enabled("Jazzer attaches its agent itself");
        }
    }
}
