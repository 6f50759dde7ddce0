package io.scrapeguard.poisoner;

import io.scrapeguard.schemas.LabelAssignmentLog;
import io.scrapeguard.schemas.Topics;

/** The topics the poisoner reads and writes; the defaults are {@link Topics}' constants. */
public record PoisonerTopics(
        String raw, String protectedImages, String deadLetters, String labelAssignments) {
    public static final PoisonerTopics DEFAULT =
            new PoisonerTopics(
                    Topics.RAW_IMAGES,
                    Topics.PROTECTED_IMAGES,
                    Topics.DEAD_LETTERS,
                    LabelAssignmentLog.TOPIC);

    /** Topics with a common suffix (tests run several pipelines on one broker). */
    public static PoisonerTopics withSuffix(String suffix) {
        return new PoisonerTopics(
                Topics.RAW_IMAGES + suffix,
                Topics.PROTECTED_IMAGES + suffix,
                Topics.DEAD_LETTERS + suffix,
                LabelAssignmentLog.TOPIC + suffix);
    }
}
