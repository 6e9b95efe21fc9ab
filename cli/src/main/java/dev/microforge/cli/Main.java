package dev.microforge.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * The program's only {@code main}: parses the command line, runs one command and turns its outcome into an exit
 * code (0 success, 2 bad usage or bad input, 1 internal error) with a one-line message on stderr.
 */
public final class Main {
    /** The command completed. */
    public static final int OK = 0;
    /** A bug or an unexpected condition: the message asks for {@code --debug}. */
    public static final int INTERNAL_ERROR = 1;
    /** Bad usage or bad input: the message names the file or option and the fault. */
    public static final int BAD_INPUT = 2;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command line {@code args}, printing results to {@code out} and messages to {@code err}.
     *
     * @return the exit code
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        boolean debug = debugRequested(args);
        CliContext context = new CliContext(out, err, debug, System.console() != null);
        CommandLine commandLine = new CommandLine(new MicroforgeCommand(context));
        PrintWriter outWriter = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter errWriter = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        commandLine.setOut(outWriter);
        commandLine.setErr(errWriter);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler((ex, arguments) -> {
            report(context, ex, usageMessage(ex) + "; try '" + helpCommand(ex.getCommandLine()) + "'");
            return BAD_INPUT;
        });
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) -> handle(context, ex));
        try {
            return commandLine.execute(args);
        } catch (RuntimeException | Error e) {
            // picocli hands only Exceptions to the handler: an Error (OutOfMemoryError) arrives here
            return handle(context, e);
        } finally {
            context.closeProgress();
            outWriter.flush();
            errWriter.flush();
            out.flush();
            err.flush();
        }
    }

    /**
     * {@code --debug} is global and may stand anywhere, so it is found before parsing: a usage error should show its
     * stack trace too. Arguments after {@code --} are operands, not options.
     */
    static boolean debugRequested(String[] args) {
        for (String a : args) {
            if ("--".equals(a)) {
                return false;
            }
            if ("--debug".equals(a)) {
                return true;
            }
        }
        return false;
    }

    /** picocli's message, except that a word where a command should be is called an unknown command. */
    private static String usageMessage(CommandLine.ParameterException ex) {
        CommandLine cmd = ex.getCommandLine();
        if (ex instanceof CommandLine.UnmatchedArgumentException && cmd != null
                && !cmd.getSubcommands().isEmpty() && cmd.getParseResult() != null
                && cmd.getParseResult().originalArgs().size() > 0) {
            java.util.List<String> unmatched = ((CommandLine.UnmatchedArgumentException) ex).getUnmatched();
            if (!unmatched.isEmpty() && !unmatched.get(0).startsWith("-")) {
                return "unknown command '" + unmatched.get(0) + "' (one of "
                        + String.join(", ", cmd.getSubcommands().keySet()) + ")";
            }
        }
        return ex.getMessage();
    }

    private static String helpCommand(CommandLine cmd) {
        return cmd == null ? "microforge --help" : cmd.getCommandSpec().qualifiedName() + " --help";
    }

    /** Maps a failure to an exit code and prints its one-line message (and, with --debug, its stack trace). */
    static int handle(CliContext context, Throwable e) {
        Throwable cause = ErrorMessages.unwrap(e);
        if (ErrorMessages.isBadInput(cause)) {
            report(context, cause, ErrorMessages.describe(cause));
            return BAD_INPUT;
        }
        report(context, cause, "internal error: " + ErrorMessages.describeInternal(cause)
                + (context.debug() ? "" : " (rerun with --debug for the stack trace)"));
        return INTERNAL_ERROR;
    }

    private static void report(CliContext context, Throwable e, String message) {
        context.closeProgress();
        if (context.debug()) {
            e.printStackTrace(context.err());
        }
        context.err().println("microforge: " + ErrorMessages.oneLine(message));
        context.err().flush();
    }
}
