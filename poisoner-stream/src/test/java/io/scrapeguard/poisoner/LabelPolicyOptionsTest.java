package io.scrapeguard.poisoner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scrapeguard.core.ArPerturbationMethod;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.ProcessBank;
import io.scrapeguard.core.SeedingKey;
import io.scrapeguard.schemas.LabelBank;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The label policy of ./guard poisoner and ./guard up: strict unless open is chosen. */
class LabelPolicyOptionsTest {
    @TempDir Path tmp;

    private static PoisonerCliOptions parse(String... args) {
        PoisonerCommand command = new PoisonerCommand();
        new CommandLine(command).parseArgs(args);
        return command.poisoner;
    }

    @Test
    void strictWithoutLabelsIsAnErrorThatSaysHowToGiveThemOrChooseOpen() {
        assertThatThrownBy(() -> parse().labelPolicy())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("strict (the default)")
                .hasMessageContaining("--labels")
                .hasMessageContaining("--labels-file")
                .hasMessageContaining("--label-policy open");
    }

    @Test
    void labelsOrAFileMakeTheStrictPolicy() throws Exception {
        Path file = Files.writeString(tmp.resolve("labels.txt"), "# ours\ncats\n\n dogs \n");
        LabelPolicy fromList = parse("--labels", "cats,dogs").labelPolicy();
        LabelPolicy fromFile = parse("--labels-file", file.toString()).labelPolicy();
        for (LabelPolicy p : new LabelPolicy[] {fromList, fromFile}) {
            assertThat(p.strict()).isTrue();
            assertThat(p.allowed()).containsExactlyInAnyOrder("cats", "dogs");
            assertThat(p.accepts("squat-0")).isFalse();
        }
        Path empty = Files.writeString(tmp.resolve("empty.txt"), "# nothing yet\n");
        assertThatThrownBy(() -> parse("--labels-file", empty.toString()).labelPolicy())
                .hasMessageContaining("list no label");
    }

    @Test
    void openIsAnExplicitChoiceAndContradictionsAreRefused() {
        LabelPolicy open = parse("--label-policy", "open").labelPolicy();
        assertThat(open.strict()).isFalse();
        assertThat(open.accepts("squat-0")).isTrue();
        assertThatThrownBy(() -> parse("--label-policy", "open", "--labels", "a").labelPolicy())
                .hasMessageContaining("drop --labels");
        assertThatThrownBy(() -> parse("--label-policy", "lenient").labelPolicy())
                .hasMessageContaining("strict or open");
    }

    @Test
    void theDemoGivesItsLabelsUnlessTheCommandLineChose() {
        PoisonerCliOptions plain = parse();
        plain.defaultLabels(Set.of("circle", "square"));
        assertThat(plain.labelPolicy().allowed()).containsExactlyInAnyOrder("circle", "square");
        PoisonerCliOptions chosen = parse("--labels", "cats");
        chosen.defaultLabels(Set.of("circle"));
        assertThat(chosen.labelPolicy().allowed()).containsExactly("cats");
        PoisonerCliOptions open = parse("--label-policy", "open");
        open.defaultLabels(Set.of("circle"));
        assertThat(open.labelPolicy().strict()).isFalse();
    }

    @Test
    void theLabelLogTopicIsAnOption() {
        PoisonerOptions o =
                parse("--labels", "a", "--label-assignments-topic", "guard.labels.v2")
                        .options("k:9092", "http://r", tmp);
        assertThat(o.topics().labelAssignments()).isEqualTo("guard.labels.v2");
    }

    @Test
    void aBankGrownByAppendingNamesItsOldSelfAsItsPrefix() {
        ProcessBank paper = ProcessBank.paperDefault();
        ProcessBank first = new ProcessBank(paper.processes().subList(0, 6));
        LabelBank grown = claiming(paper);
        assertThat(grown.fingerprint()).isEqualTo(paper.fingerprint());
        assertThat(grown.size()).isEqualTo(paper.size());
        assertThat(grown.prefixFingerprint().apply(6))
                .isEqualTo(claiming(first).fingerprint())
                .isNotEqualTo(paper.fingerprint());
    }

    private static LabelBank claiming(ProcessBank bank) {
        return ClaimingBank.of(
                new ArPerturbationMethod(
                        bank, SeedingKey.developmentDefault(), Budget.parse("l2=1.0")));
    }
}
