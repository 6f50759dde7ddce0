package io.scrapeguard.poisoner;

import java.util.Set;

/**
 * Which labels the poisoner accepts. {@code OPEN}: any label; a new one gets the next free process.
 * {@code STRICT}: only the configured labels; any other is dead-lettered ({@code unknown-label}),
 * so a typo in an upload never burns a process of the bank.
 */
public record LabelPolicy(boolean strict, Set<String> allowed) {
    public static final LabelPolicy OPEN = new LabelPolicy(false, Set.of());

    public static LabelPolicy strict(Set<String> allowed) {
        if (allowed.isEmpty()) {
            throw new IllegalArgumentException("a strict label policy needs at least one label");
        }
        return new LabelPolicy(true, Set.copyOf(allowed));
    }

    public boolean accepts(String label) {
        return label != null && !label.isBlank() && (!strict || allowed.contains(label));
    }
}
