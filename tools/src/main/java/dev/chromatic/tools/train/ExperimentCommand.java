package dev.chromatic.tools.train;

import dev.chromatic.tools.BadInputException;
import dev.chromatic.trainer.TrainConfig;
import dev.chromatic.trainer.TrainingRun;
import dev.chromatic.trainer.report.ComparisonTable;
import dev.chromatic.trainer.report.CurvePlot;
import dev.chromatic.trainer.report.MetricsRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code chromatic experiment}: groups of training runs that reproduce the paper's comparisons. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Runs the paper's comparisons.",
        subcommands = {ExperimentCommand.Compare.class})
public final class ExperimentCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /**
     * {@code experiment compare}: every structure (or, with {@code --ablation}, every partition
     * controller) trained with the same budget and seeds, summarised as a Markdown table + a plot.
     */
    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = {"Trains chromatic, masked, toeplitz, circulant and unstructured networks with the same budget and seeds",
                    "and writes a Table-2-style Markdown table (mean and standard deviation over seeds, best, weight params,",
                    "compression, bits) and a plot. With --ablation: chromatic networks with the lstm, ppo, evolution, random",
                    "and fixed-random controllers (paper Fig. 4). Every finished run is appended to runs.jsonl in --out-dir;",
                    "--resume takes finished runs from there instead of training them again."})
    public static final class Compare implements Callable<Integer> {

        static final List<String> STRUCTURE_ROWS = List.of("chromatic", "masked", "toeplitz", "circulant", "unstructured");
        static final List<String> CONTROLLER_ROWS = List.of("lstm", "ppo", "evolution", "random", "fixed-random");

        @Mixin
        TrainOptions options = new TrainOptions();

        @Option(names = "--budget", defaultValue = "100", description = "ES iterations per run (default: the preset's, else ${DEFAULT-VALUE}).")
        int budget;

        @Option(names = "--seeds", defaultValue = "1,2,3", description = "Seeds, each run once per row (default: ${DEFAULT-VALUE}).")
        String seeds;

        @Option(names = "--ablation", description = "Compare partition controllers instead of structures.")
        boolean ablation;

        @Option(names = "--rows", description = "Rows to run, comma-separated: structures (chromatic:M for a chromatic network"
                + " of M colors, e.g. chromatic:13) or, with --ablation, controllers (default: all of them).")
        String rowList;

        @Option(names = "--resume", description = "Reuse the runs recorded in --out-dir/runs.jsonl whose policy file is there.")
        boolean resume;

        @Option(names = "--out-dir", required = true, description = "Directory for the policies, CSVs, run log, table and plot.")
        Path outDir;

        @Override
        public Integer call() throws Exception {
            Integer presetBudget = options.applyPreset("--budget");
            if (presetBudget != null) {
                budget = presetBudget;
            }
            long[] seedList = parseSeeds(seeds);
            List<String> names = parseRows(rowList, ablation);
            Files.createDirectories(outDir);
            RunLog log = new RunLog(outDir.resolve("runs.jsonl"));
            List<ComparisonTable.Row> rows = new ArrayList<>();
            CurvePlot plot = new CurvePlot(options.env + (ablation ? " controllers" : " structures")
                    + " (mean return per iteration, seed " + seedList[0] + ")", "iteration", "mean return");
            int unstructuredTotal = 0;
            for (String name : names) {
                double[] rewards = new double[seedList.length];
                double seconds = 0;
                RunLog.Run last = null;
                for (int k = 0; k < seedList.length; k++) {
                    long seed = seedList[k];
                    Path policy = outDir.resolve(name.replace(':', '-') + "-s" + seed + ".cpol");
                    RunLog.Run run = resume && Files.exists(policy) ? log.find(name, seed) : null;
                    if (run == null) {
                        System.err.printf(Locale.ROOT, "%s seed %d ...%n", name, seed);
                        TrainingRun.Finished f = TrainingRun.run(configFor(name, seed), new TrainingRun.Outputs(policy),
                                false, null, null);
                        run = new RunLog.Run(name, seed, f.result.reward, f.seconds, f.result.weightParams,
                                f.result.policy.biasParamCount(), f.result.policy.edgeCount());
                        log.append(run);
                    } else {
                        System.err.printf(Locale.ROOT, "%s seed %d: recorded in %s%n", name, seed, log.file());
                    }
                    rewards[k] = run.reward();
                    seconds += run.seconds();
                    last = run;
                    if (unstructuredTotal == 0) {
                        unstructuredTotal = run.edges() + run.biases();
                    }
                    if (k == 0) {
                        plotCurve(plot, name, new TrainingRun.Outputs(policy).csv);
                    }
                }
                boolean indexed = ablation || name.startsWith("chromatic") || name.equals("masked");
                rows.add(new ComparisonTable.Row(ablation ? "chromatic/" + name : name, rewards, last.weights(),
                        last.biases(), last.edges(), indexed, seconds / seedList.length));
            }
            String title = "Comparison on " + options.env + ": " + budget + " iterations x (" + options.perturbations
                    + " perturbation pairs + " + options.exact + " unperturbed) rollouts, seeds " + seeds + ", hidden "
                    + options.hidden + (ablation ? ", controllers" : ", structures") + "\n\n";
            String table = ComparisonTable.markdown(rows, unstructuredTotal);
            Path md = outDir.resolve(ablation ? "ablation.md" : "comparison.md");
            Files.writeString(md, title + table);
            plot.write(outDir.resolve(ablation ? "ablation.png" : "comparison.png"));
            System.out.print(title + table);
            return 0;
        }

        private TrainConfig configFor(String name, long seed) {
            String savedController = options.controller;
            int savedColors = options.colors;
            options.seed = seed;
            String structure = name;
            if (ablation) {
                options.controller = name;
                structure = "chromatic";
            } else if (name.startsWith("chromatic:")) {
                options.colors = Integer.parseInt(name.substring("chromatic:".length()));
                structure = "chromatic";
            }
            try {
                TrainConfig cfg = options.toConfig(structure, budget);
                cfg.checkpointEvery = 0;
                return cfg;
            } finally {
                options.controller = savedController;
                options.colors = savedColors;
            }
        }

        private static void plotCurve(CurvePlot plot, String name, Path csv) throws java.io.IOException {
            List<MetricsRow> curve = TrainingRun.readCsv(csv);
            double[] x = new double[curve.size()];
            double[] y = new double[curve.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = curve.get(i).iteration;
                y[i] = curve.get(i).meanReturn;
            }
            plot.series(name, x, y);
        }

        static List<String> parseRows(String list, boolean ablation) {
            List<String> known = ablation ? CONTROLLER_ROWS : STRUCTURE_ROWS;
            if (list == null) {
                return known;
            }
            List<String> rows = new ArrayList<>();
            for (String part : list.split(",")) {
                String name = part.trim();
                boolean ok = known.contains(name);
                if (!ablation && name.matches("chromatic:[0-9]{1,7}")) {
                    int m = Integer.parseInt(name.substring("chromatic:".length()));
                    ok = m >= 1;
                }
                if (!ok || rows.contains(name)) {
                    throw new BadInputException("--rows: '" + name + "' is " + (ok ? "listed twice" : "not one of "
                            + known + (ablation ? "" : " or chromatic:M")));
                }
                rows.add(name);
            }
            return rows;
        }

        static long[] parseSeeds(String s) {
            String[] parts = s.split(",");
            long[] out = new long[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    out[i] = Long.parseLong(parts[i].trim());
                } catch (NumberFormatException e) {
                    throw new BadInputException("--seeds: '" + s + "' is not a list of integers like 1,2,3");
                }
            }
            return out;
        }
    }
}
