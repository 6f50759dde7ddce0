package io.scrapeguard.schemas;

/**
 * A label's place in the assignment log.
 *
 * @param position the label's rank among distinct labels in log order (0-based): forever the same
 * @param processIndex the bank process it uses, or -1 when the bank has fewer processes than {@code
 *     position + 1} (bank exhausted for this label)
 */
public record LabelAssignment(String label, int position, int processIndex) {
    public boolean assigned() {
        return processIndex >= 0;
    }
}
