package io.scrapeguard.poisoner;

import io.scrapeguard.schemas.LabelAssignment;
import java.util.LinkedHashMap;
import java.util.Map;

/** The assignment rule of LabelAssignmentLog (n-th distinct label gets process n), in memory. */
final class InMemoryLabels implements LabelResolver {
    private final int bankSize;
    private final Map<String, Integer> positions = new LinkedHashMap<>();

    InMemoryLabels(int bankSize) {
        this.bankSize = bankSize;
    }

    @Override
    public synchronized LabelAssignment assign(String label) {
        Integer pos = positions.get(label);
        if (pos == null) {
            if (positions.size() >= bankSize) {
                return new LabelAssignment(label, -1, -1);
            }
            pos = positions.size();
            positions.put(label, pos);
        }
        return new LabelAssignment(label, pos, pos < bankSize ? pos : -1);
    }
}
