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
        cmd.getErr().println(prefix(cmd) + ": " + msg);
        return isBadInput(ex) ? EXIT_BAD_INPUT : EXIT_FAILED;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        if (cmd.getParent() == null) {
            String unknown = unknownCommand(cmd, args);
            if (unknown != null) {
                cmd.getErr().println(unknown);
                return EXIT_BAD_INPUT;
            }
        }
        cmd.getErr().println(prefix(cmd) + ": " + ex.getMessage());
        String name = qualifiedName(cmd);
        cmd.getErr().println("Try 'chromatic " + (name.equals("chromatic") ? "" : name + " ") + "--help'.");
        return EXIT_BAD_INPUT;
    }

    /**
     * The one-line complaint when the command word in {@code args} names no subcommand of
     * {@code root}, or null when it does (or there is none). The root's own options take no values,
     * so the first argument that does not start with '-' is the command word, whatever follows it.
     */
    static String unknownCommand(CommandLine root, String[] args) {
        String word = null;
        for (String a : args) {
            if (!a.startsWith("-")) {
                word = a;
                break;
            }
        }
        if (word == null || root.getSubcommands().containsKey(word)) {
            return null;
        }
        String shown = word.length() > 40 ? word.substring(0, 40) + "..." : word;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : new java.util.TreeSet<>(root.getSubcommands().keySet())) {
            int d = distance(shown.toLowerCase(java.util.Locale.ROOT), name);
            if (d < bestDistance) {
                best = name;
                bestDistance = d;
            }
        }
        return "chromatic: unknown command '" + shown + "'" + (best == null ? "" : " (did you mean '" + best + "'?)");
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours cost 1. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }

    /** "chromatic" for the root command, "chromatic NAME" for a subcommand (never the name twice). */
    private static String prefix(CommandLine cmd) {
        return cmd.getParent() == null ? "chromatic" : "chromatic " + cmd.getCommandName();
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
