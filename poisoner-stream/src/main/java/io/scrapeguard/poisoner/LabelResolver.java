package io.scrapeguard.poisoner;

import io.scrapeguard.schemas.LabelAssignment;
import io.scrapeguard.schemas.LabelAssignmentLog;
import java.time.Duration;

/** A label's process: {@link LabelAssignmentLog} in the app, a map in unit tests. */
@FunctionalInterface
public interface LabelResolver {
    LabelAssignment assign(String label);

    static LabelResolver of(LabelAssignmentLog log, Duration timeout) {
        return label -> log.assign(label, timeout);
    }
}
