package dev.chromatic.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The bash completion script generated from the command spec in process-classes
 * (target/chromatic_completion, tools/pom.xml): it knows every command and option, and bash completes with it.
 */
class CompletionScriptTest {

    private static final Path SCRIPT = Path.of("target", "chromatic_completion");
    private static String script;

    @BeforeAll
    static void read() throws Exception {
        assertTrue(Files.isRegularFile(SCRIPT), SCRIPT + " is missing: mvn process-classes generates it");
        script = Files.readString(SCRIPT);
    }

    @Test
    void everyCommandAndOptionOfTheCommandLineIsInTheScript() {
        List<String> missing = new ArrayList<>();
        walk(Main.commandLine(), missing);
        assertEquals(List.of(), missing, "the completion script is older than the command line");
        assertTrue(script.contains("complete -F _complete_chromatic -o default chromatic"), "registered for 'chromatic'");
    }

    private static void walk(CommandLine cli, List<String> missing) {
        CommandSpec spec = cli.getCommandSpec();
        String qualified = spec.qualifiedName(" ");
        String function = "_picocli_" + qualified.replace("-", "").replace(' ', '_');
        if (!script.contains("function " + function + "()")) {
            missing.add("command '" + qualified + "'");
        }
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) {
                continue;
            }
            for (String name : o.names()) {
                if (!script.contains("'" + name + "'")) {
                    missing.add(qualified + " " + name);
                }
            }
        }
        cli.getSubcommands().values().stream().distinct().forEach(sub -> walk(sub, missing));
    }

    /** What bash offers for the words typed so far (the last one being completed), read from stdout. */
    private static List<String> complete(String... words) throws Exception {
        StringBuilder arr = new StringBuilder();
        for (String w : words) {
            arr.append(" '").append(w).append("'");
        }
        String program = "source '" + SCRIPT.toAbsolutePath() + "' 2>/dev/null\n"
                + "COMP_WORDS=(" + arr + ")\n"
                + "COMP_CWORD=" + (words.length - 1) + "\n"
                + "COMP_LINE=\"${COMP_WORDS[*]}\"; COMP_POINT=${#COMP_LINE}\n"
                + "_complete_chromatic 2>/dev/null\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\" | sort\n";
        Process p = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", program)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "bash hangs");
        assertEquals(0, p.exitValue(), out);
        return Arrays.stream(out.split("\n")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    @Test
    void bashCompletesCommandsSubcommandsAndOptions() throws Exception {
        assertEquals(List.of("flash", "flash-soak"), complete("chromatic", "fla"));
        assertEquals(List.of("loop"), complete("chromatic", "bench", "lo"));
        assertEquals(List.of("--robot"), complete("chromatic", "cmd", "--rob"));
        assertTrue(complete("chromatic", "telemetry", "--").containsAll(List.of("--robot", "--broker", "--record", "--plot")));
    }
}
