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
                    "and writes a Table-2-style Markdown table (reward, weight params, compression, bits) and a plot.",
                    "With --ablation: chromatic networks with the lstm, evolution, random and fixed-random controllers (paper Fig. 4)."})
    public static final class Compare implements Callable<Integer> {

        @Mixin
        TrainOptions options = new TrainOptions();

        @Option(names = "--budget", defaultValue = "100", description = "ES iterations per run (default: ${DEFAULT-VALUE}).")
        int budget;

        @Option(names = "--seeds", defaultValue = "1,2,3", description = "Seeds, each run once per structure (default: ${DEFAULT-VALUE}).")
        String seeds;

        @Option(names = "--ablation", description = "Compare partition controllers instead of structures.")
        boolean ablation;

        @Option(names = "--out-dir", required = true, description = "Directory for the policies, CSVs, table and plot.")
        Path outDir;

        @Override
        public Integer call() throws Exception {
            long[] seedList = parseSeeds(seeds);
            Files.createDirectories(outDir);
            String[] names = ablation ? new String[] {"lstm", "evolution", "random", "fixed-random"}
                    : new String[] {"chromatic", "masked", "toeplitz", "circulant", "unstructured"};
            List<ComparisonTable.Row> rows = new ArrayList<>();
            CurvePlot plot = new CurvePlot(options.env + (ablation ? " controllers" : " structures")
                    + " (mean return per iteration, seed " + seedList[0] + ")", "iteration", "mean return");
            int unstructuredTotal = 0;
            for (String name : names) {
                double best = Double.NEGATIVE_INFINITY;
                double sum = 0;
                double seconds = 0;
                int weights = 0;
                int biases = 0;
                int edges = 0;
                for (long seed : seedList) {
                    String structure = ablation ? "chromatic" : name;
                    options.seed = seed;
                    String savedController = options.controller;
                    if (ablation) {
                        options.controller = name;
                    }
                    TrainConfig cfg = options.toConfig(structure, budget);
                    options.controller = savedController;
                    cfg.checkpointEvery = 0;
                    Path policy = outDir.resolve(name + "-s" + seed + ".cpol");
                    System.err.printf(Locale.ROOT, "%s seed %d ...%n", name, seed);
                    TrainingRun.Finished f = TrainingRun.run(cfg, new TrainingRun.Outputs(policy), false, null, null);
                    best = Math.max(best, f.result.reward);
                    sum += f.result.reward;
                    seconds += f.seconds;
                    weights = Math.max(weights, f.result.weightParams);
                    biases = f.result.policy.biasParamCount();
                    edges = f.result.policy.edgeCount();
                    if (unstructuredTotal == 0) {
                        unstructuredTotal = edges + biases;
                    }
                    if (seed == seedList[0]) {
                        List<MetricsRow> curve = TrainingRun.readCsv(new TrainingRun.Outputs(policy).csv);
                        double[] x = new double[curve.size()];
                        double[] y = new double[curve.size()];
                        for (int i = 0; i < x.length; i++) {
                            x[i] = curve.get(i).iteration;
                            y[i] = curve.get(i).meanReturn;
                        }
                        plot.series(name, x, y);
                    }
                }
                boolean indexed = ablation || name.equals("chromatic") || name.equals("masked");
                rows.add(new ComparisonTable.Row(ablation ? "chromatic/" + name : name, best, sum / seedList.length,
                        weights, biases, edges, indexed, seconds / seedList.length));
            }
            String title = "Comparison on " + options.env + ": " + budget + " iterations x " + options.perturbations
                    + " perturbations, seeds " + seeds + ", hidden " + options.hidden
                    + (ablation ? ", controllers" : ", structures") + "\n\n";
            String table = ComparisonTable.markdown(rows, unstructuredTotal);
            Path md = outDir.resolve(ablation ? "ablation.md" : "comparison.md");
            Files.writeString(md, title + table);
            plot.write(outDir.resolve(ablation ? "ablation.png" : "comparison.png"));
            System.out.print(title + table);
            return 0;
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
