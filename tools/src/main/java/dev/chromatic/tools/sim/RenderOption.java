package dev.chromatic.tools.sim;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --render DIR} option shared by commands that run a policy (eval, run). */
public final class RenderOption {

    @Option(names = "--render", paramLabel = "DIR",
            description = "Also draw the policy's gait to DIR (stick-figure GIF, gait diagram, base plots), as 'chromatic render' does.")
    Path renderDir;

    /** Draws the policy's gait when {@code --render} was given; returns the exit code (0 when not asked). */
    public int drawIfAsked(Path policyFile, double seconds, long seed) throws Exception {
        return renderDir == null ? 0 : RenderCommand.drawTo(policyFile, seconds, seed, renderDir);
    }
}
