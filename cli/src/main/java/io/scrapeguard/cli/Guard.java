package io.scrapeguard.cli;

import io.scrapeguard.embedded.StackCommand;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The root of every {@code ./guard} command. Each module contributes its commands; this class only
 * registers them and turns failures into one-line errors (never a stack trace for wrong use).
 */
@Command(
        name = "guard",
        mixinStandardHelpOptions = true,
        versionProvider = GuardVersion.class,
        description = "ScrapeGuard: protects published images with autoregressive perturbations.",
        subcommands = {
            CommandLine.HelpCommand.class,
            // the main job and the all-in-one stack
            io.scrapeguard.app.DemoCommand.class,
            io.scrapeguard.app.UpCommand.class,
            io.scrapeguard.producer.PublishCommand.class,
            io.scrapeguard.app.ExportCommand.class,
            io.scrapeguard.poisoner.PoisonerCommand.class,
            io.scrapeguard.auditor.AuditorCommand.class,
            io.scrapeguard.auditor.AuditCommand.class,
            io.scrapeguard.dataset.DatasetCommand.class,
            // the AR engine
            io.scrapeguard.core.cli.PerturbCommand.class,
            io.scrapeguard.core.cli.ProcessesCommand.class,
            // infrastructure and measurement
            io.scrapeguard.core.gpu.DoctorCommand.class,
            StackCommand.class,
            io.scrapeguard.bench.BenchCommand.class
        })
public final class Guard {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code; tests call this instead of {@link #main}. */
    public static int run(String... args) {
        CommandLine cli = commandLine();
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Guard());
        cli.setExecutionExceptionHandler(Guard::oneLineError);
        cli.setParameterExceptionHandler(Guard::oneLineUsageError);
        return cli;
    }

    private static int oneLineError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        err.println("guard: error: " + describe(e));
        if (Boolean.getBoolean("guard.debug")) {
            e.printStackTrace(err);
        }
        err.flush();
        return cmd.getExitCodeExceptionMapper() != null
                ? cmd.getExitCodeExceptionMapper().getExitCode(e)
                : 1;
    }

    /** Wrong use: one line, what is wrong and where the help is, exit 2. */
    private static int oneLineUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(
                "guard: error: "
                        + usageMessage(e)
                        + " (see '"
                        + cmd.getCommandSpec().qualifiedName()
                        + " --help')");
        err.flush();
        return 2;
    }

    static String usageMessage(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u
                && !u.getUnmatched().isEmpty()
                && !u.getCommandLine().getSubcommands().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
            String name = u.getUnmatched().get(0);
            List<String> near =
                    u.getCommandLine().getSubcommands().keySet().stream()
                            .filter(c -> !c.equals("help") && typoDistance(name, c) <= 2)
                            .toList();
            return "unknown command '"
                    + name
                    + "'"
                    + (near.isEmpty() ? "" : "; did you mean " + String.join(" or ", near) + "?");
        }
        return e.getMessage();
    }

    /** Edits (insert, delete, substitute, swap two neighbours) from a to b. */
    static int typoDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] =
                        Math.min(
                                Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1
                        && j > 1
                        && a.charAt(i - 1) == b.charAt(j - 2)
                        && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** The message people need: the exception's own words, or its type when it has none. */
    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
