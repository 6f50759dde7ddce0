package io.scrapeguard.embedded;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: one {@link EmbeddedStack} (real Kafka broker + Apicurio Registry) per test
 * class, started before the first test and closed after the last (nested classes share their outer
 * class's stack). Honours {@code -Dguard.bootstrap.servers} / {@code -Dguard.registry.url} (or
 * GUARD_BOOTSTRAP_SERVERS / GUARD_REGISTRY_URL) to run against external ones.
 *
 * <p>Either inject it:
 *
 * <pre>{@code
 * @ExtendWith(EmbeddedStackExtension.class)
 * class MyTest {
 *     @Test void works(EmbeddedStack stack) { ... stack.bootstrapServers() ... }
 * }
 * }</pre>
 *
 * or register it in a static field: {@code @RegisterExtension static final EmbeddedStackExtension
 * STACK = new EmbeddedStackExtension();} and call {@code STACK.stack()}.
 *
 * <p>Other modules: add the test-jar dependency {@code io.scrapeguard:scrapeguard-embedded} (type
 * {@code test-jar}, scope test) and the plain {@code scrapeguard-embedded} dependency; the registry
 * app is found through {@code -Dguard.registry.dir} (set by the parent pom's surefire
 * configuration) or the relative path {@code ../embedded/target/apicurio-registry}.
 */
public final class EmbeddedStackExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(EmbeddedStackExtension.class);
    private static final String KEY = "stack";

    private volatile EmbeddedStack stack;

    @Override
    public void beforeAll(ExtensionContext context) {
        // A lookup finds the outer class's stack for @Nested classes.
        EmbeddedStack existing = context.getStore(NAMESPACE).get(KEY, EmbeddedStack.class);
        if (existing == null) {
            existing = EmbeddedStack.builder().fromEnvironment().start();
            // Closed by JUnit when the class's context ends (AutoCloseable store values).
            context.getStore(NAMESPACE).put(KEY, existing);
        }
        stack = existing;
    }

    /** The stack of the current test class (for {@code @RegisterExtension} fields). */
    public EmbeddedStack stack() {
        EmbeddedStack s = stack;
        if (s == null) {
            throw new IllegalStateException(
                    "The embedded stack starts before all tests: register EmbeddedStackExtension"
                            + " in a static field or with @ExtendWith");
        }
        return s;
    }

    /** The stack of {@code context}'s test class. */
    public static EmbeddedStack stack(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(KEY, EmbeddedStack.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        EmbeddedStack s = stack(context);
        return s != null ? s : stack();
    }
}
