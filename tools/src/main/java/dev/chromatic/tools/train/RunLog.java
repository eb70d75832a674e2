package dev.chromatic.tools.train;

import dev.chromatic.runtime.json.Json;
import dev.chromatic.runtime.json.JsonFormatException;
import dev.chromatic.runtime.json.JsonWriter;
import dev.chromatic.tools.BadInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * The finished runs of an experiment, one JSON object per line, appended as each run ends so that
 * an interrupted experiment loses at most the run in progress. A line that cannot be read is an
 * error naming the file and line, never skipped.
 */
final class RunLog {

    /** One finished run: the row it belongs to, its seed and what it measured. */
    record Run(String row, long seed, double reward, double seconds, int weights, int biases, int edges) {
    }

    /** Longest run log read (a run is one line of about 150 bytes). */
    static final long MAX_BYTES = 16L << 20;

    private final Path file;

    RunLog(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    void append(Run run) throws IOException {
        String line = new JsonWriter().put("row", run.row()).put("seed", run.seed()).put("reward", run.reward())
                .put("seconds", run.seconds()).put("weight_params", run.weights()).put("bias_params", run.biases())
                .put("edges", run.edges()).end() + "\n";
        Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The last recorded run of {@code row} with {@code seed}, or null. */
    Run find(String row, long seed) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new BadInputException(file + " is larger than " + MAX_BYTES + " bytes: not a run log of this tool");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Run found = null;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            Run run = parse(lines.get(i), i + 1);
            if (run.row().equals(row) && run.seed() == seed) {
                found = run;
            }
        }
        return found;
    }

    private Run parse(String line, int number) {
        String where = file + " line " + number;
        try {
            Map<String, Object> o = Json.parseObject(line, Json.MAX_BYTES);
            return new Run(string(o, "row", where), (long) number(o, "seed", where), number(o, "reward", where),
                    number(o, "seconds", where), (int) number(o, "weight_params", where),
                    (int) number(o, "bias_params", where), (int) number(o, "edges", where));
        } catch (JsonFormatException e) {
            throw new BadInputException(where + ": " + e.getMessage());
        }
    }

    private static String string(Map<String, Object> o, String key, String where) {
        if (!(o.get(key) instanceof String s)) {
            throw new BadInputException(where + ": '" + key + "' is missing or not a string");
        }
        return s;
    }

    private static double number(Map<String, Object> o, String key, String where) {
        if (!(o.get(key) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw new BadInputException(where + ": '" + key + "' is missing or not a finite number");
        }
        return n.doubleValue();
    }
}
