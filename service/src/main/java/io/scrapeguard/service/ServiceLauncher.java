package io.scrapeguard.service;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code guard} root of a one-service image (poisoner, producer): the same command lines as
 * {@code ./guard}, but only that service's commands, so the image needs only that module's
 * libraries (the full root in the cli module pulls the broker, the registry and PyTorch).
 */
@Command(
        name = "guard",
        mixinStandardHelpOptions = true,
        description = "ScrapeGuard, one service of it (the other commands are in ./guard).")
public final class ServiceLauncher {
    private ServiceLauncher() {}

    /** Runs {@code args} (e.g. {@code poisoner --metrics-port=9464}) and returns the exit code. */
    public static int run(Object[] commands, String... args) {
        CommandLine cli = new CommandLine(new ServiceLauncher());
        for (Object command : commands) {
            cli.addSubcommand(command);
        }
        cli.setExecutionExceptionHandler(ServiceLauncher::oneLineError);
        cli.setParameterExceptionHandler(ServiceLauncher::oneLineUsageError);
        return cli.execute(args);
    }

    private static int oneLineError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        PrintWriter err = cmd.getErr();
        err.println(
                "guard: error: "
                        + (t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName()));
        if (Boolean.getBoolean("guard.debug")) {
            e.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    private static int oneLineUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(
                "guard: error: "
                        + e.getMessage()
                        + " (see '"
                        + cmd.getCommandSpec().qualifiedName()
                        + " --help')");
        err.flush();
        return 2;
    }
}
