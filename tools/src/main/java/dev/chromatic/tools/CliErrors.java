package dev.chromatic.tools;

import picocli.CommandLine;

/**
 * Turns failures into one line on stderr and an exit code, never a stack trace: bad arguments and
 * bad input files ({@link BadInputException}, or a checked format error) exit 2, anything else 1.
 * Set {@code CHROMATIC_DEBUG=1} to see the stack trace.
 */
final class CliErrors implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    static final int EXIT_FAILED = 1;
    static final int EXIT_BAD_INPUT = 2;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        if (System.getenv("CHROMATIC_DEBUG") != null) {
            ex.printStackTrace();
        }
        String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        cmd.getErr().println("chromatic " + cmd.getCommandName() + ": " + msg);
        return isBadInput(ex) ? EXIT_BAD_INPUT : EXIT_FAILED;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        cmd.getErr().println("chromatic " + cmd.getCommandName() + ": " + ex.getMessage());
        cmd.getErr().println("Try 'chromatic " + qualifiedName(cmd) + " --help'.");
        return EXIT_BAD_INPUT;
    }

    private static boolean isBadInput(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof BadInputException
                    || t instanceof dev.chromatic.runtime.policy.PolicyFormatException
                    || t instanceof java.nio.file.NoSuchFileException) {
                return true;
            }
        }
        return false;
    }

    private static String qualifiedName(CommandLine cmd) {
        String name = cmd.getCommandSpec().qualifiedName(" ");
        return name.startsWith("chromatic ") ? name.substring("chromatic ".length()) : name;
    }
}
