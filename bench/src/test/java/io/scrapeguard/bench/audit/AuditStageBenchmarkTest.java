package io.scrapeguard.bench.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AuditStageBenchmarkTest {

    /** What the benchmark prints to stderr for these arguments (its progress and readings). */
    private static String progress(String... args) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            AuditStageBenchmark.main(args);
        } finally {
            System.setErr(saved);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theGeneratedSetIsProtectedWithTheMethodAsked() throws Exception {
        String[] common = {
            "--pairs",
            "100",
            "--profiles",
            "cpu-small",
            "--epochs",
            "1",
            "--seeds",
            "1",
            "--scraper",
            "native",
            "--no-defences"
        };
        String wave = progress(with(common, "--method", "ar-multiscale:wave=1"));
        assertThat(wave)
                .contains("100 pairs generated and protected (ar-multiscale:wave=1)")
                // only the class wave is read by the waves: the method reached the images
                .contains("integrity: class-wave accuracy 1.000;");
        String paper = progress(common);
        assertThat(paper)
                .contains("100 pairs generated and protected (ar)")
                .contains("integrity: AR-filter accuracy 1.000;");
    }

    private static String[] with(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }
}
