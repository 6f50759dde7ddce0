package io.scrapeguard.core.gpu;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ./guard doctor}: which PyTorch DJL loads here, from where, on which devices, and why. */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description = {
            "Which engine, flavour, version and devices DJL sees, and why: the classpath's native"
                    + " jar, PYTORCH_LIBRARY_PATH, or DJL's download cache (docs/gpu.md).",
            "Exit status 0 when PyTorch loads, 3 when it does not (with what to fix)."
        })
public final class DoctorCommand implements Callable<Integer> {
    /** PyTorch did not load: the report says why. */
    public static final int NOT_LOADED = 3;

    @Spec CommandSpec spec;

    /** For a bare JVM without the ./guard root (the tests' child JVMs). */
    public static void main(String[] args) {
        System.exit(new CommandLine(new DoctorCommand()).execute(args));
    }

    @Override
    public Integer call() {
        // DJL's INFO lines repeat what the report says; keep its warnings
        if (System.getProperty("org.slf4j.simpleLogger.log.ai.djl") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.ai.djl", "warn");
        }
        TorchReport report = TorchReport.probe();
        PrintWriter out = spec.commandLine().getOut();
        out.println("guard doctor: DJL's PyTorch engine");
        report.lines().forEach(out::println);
        out.flush();
        return report.ok() ? 0 : NOT_LOADED;
    }
}
