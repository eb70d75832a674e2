package dev.chromatic.runtime.app;

import dev.chromatic.hal.Hardware;
import dev.chromatic.hal.HardwareException;
import dev.chromatic.hal.NanoClock;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.device.DeviceConfig;
import dev.chromatic.hal.device.DeviceHardware;
import dev.chromatic.hal.remote.RemoteHardware;
import dev.chromatic.runtime.config.ConfigException;
import dev.chromatic.runtime.config.RobotConfig;
import dev.chromatic.runtime.loop.LoopSettings;
import dev.chromatic.runtime.loop.RobotLoop;
import dev.chromatic.runtime.operator.CommandSettings;
import dev.chromatic.runtime.policy.PolicyFormatException;
import dev.chromatic.runtime.policy.TrustedKeys;
import dev.chromatic.runtime.stack.Controller;
import dev.chromatic.runtime.update.PolicyUpdateService;
import dev.chromatic.runtime.update.PolicyUpdateSettings;
import dev.chromatic.runtime.update.PolicyUpdates;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The robot's entry point: {@code java -jar chromatic-robot.jar --config robot.properties}. Checks the
 * whole configuration, loads the policy, opens the HAL backend ({@code device} or
 * {@code remote:HOST:PORT}), then runs the control loop and telemetry until stopped. Errors at start
 * are fatal with one line naming the problem (exit 2 for configuration or policy, 1 for hardware);
 * errors later are handled inside the loop.
 */
public final class RobotMain {

    private RobotMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, new CountDownLatch(1)));
    }

    /** Runs until {@code stop} is counted down or the process is stopped; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err, CountDownLatch stop) {
        Path config;
        if (args.length == 1 && !args[0].startsWith("-")) {
            config = Path.of(args[0]);
        } else if (args.length == 2 && args[0].equals("--config")) {
            config = Path.of(args[1]);
        } else {
            err.println("usage: java -jar chromatic-robot.jar --config robot.properties");
            return args.length == 1 && (args[0].equals("--help") || args[0].equals("-h")) ? 0 : 2;
        }
        RobotConfig cfg;
        try {
            cfg = RobotConfig.load(config);
        } catch (ConfigException e) {
            err.println("chromatic-robot: " + config + ": " + e.getMessage());
            return 2;
        }
        RobotSpec spec = cfg.spec();
        Hardware hw = null;
        RobotRuntime rt = null;
        try {
            PolicyLoader.Loaded policy = null;
            long periodNs;
            if (cfg.policyFile() != null) {
                TrustedKeys trust = cfg.trustedKeysDir() == null ? TrustedKeys.none()
                        : TrustedKeys.fromDirectory(cfg.trustedKeysDir());
                policy = PolicyLoader.load(cfg.policyFile(), trust, cfg.requireSignature(), spec);
                periodNs = policy.installed().controlPeriodNs();
                // before the loop starts: its first armed cycles then run compiled code
                Controller.warmUp(policy.file().policy(), spec, Controller.WARM_UP_STEPS);
            } else {
                if (cfg.rateHz() == 0) {
                    throw new ConfigException("loop.rate_hz", "needed when policies come from policy.store_dir");
                }
                periodNs = LoopSettings.periodOfHz(cfg.rateHz());
            }
            LoopSettings loop = cfg.loopSettings(periodNs);
            hw = openHardware(cfg, spec, loop.periodNs());
            hw.start();
            CommandSettings commands = cfg.commandSettings(w -> err.println("chromatic-robot: warning: " + w));
            RobotLoop robotLoop = RobotLoop.context().hardware(hw).clock(NanoClock.system()).settings(loop)
                    .safety(cfg.safety()).standUp(cfg.standUp()).startPose(cfg.standUpStartPose())
                    .linkTimeout(cfg.linkTimeoutNs()).localReset(cfg.localEstopReset())
                    .telemetry(4096).build();
            rt = new RobotRuntime(cfg.robotId(), robotLoop, cfg.mqtt(), cfg.telemetryBatch(), commands);
            if (rt.telemetry() != null) {
                rt.telemetry().setJsonRateHz(cfg.telemetryJsonRateHz());
            }
            if (policy != null) {
                robotLoop.offerPolicy(policy.installed());
                out.println("chromatic-robot: policy " + policy.file().sha256Hex() + " version "
                        + policy.file().policyVersion() + (policy.installed().verified() ? "" : " (unverified: arming refused)"));
            }
            PolicyUpdateService updates = null;
            if (cfg.raw().getProperty(PolicyUpdateSettings.STORE_DIR) != null) {
                updates = startUpdates(cfg, spec, loop.periodNs(), rt);
            }
            rt.startTelemetryThread(t -> { });
            rt.startLoopThread(cfg.spinNs(), cfg.rtPriority(), cfg.cpu(), cfg.cpuLatencyUs(), t -> { });
            RobotRuntime progressOf = rt;
            SystemdWatchdog watchdog = SystemdWatchdog.fromEnvironment(System.getenv(), () -> progressOf.control().cycles());
            if (watchdog != null) {
                watchdog.start();
                out.println("chromatic-robot: systemd watchdog fed every " + watchdog.intervalNs() / 1_000_000
                        + " ms while the loop runs");
            }
            out.println("chromatic-robot: " + cfg.robotId() + " running at " + (1e9 / loop.periodNs()) + " Hz on "
                    + cfg.hal() + (cfg.mqtt() == null ? ", no broker" : ", broker " + cfg.mqtt().serverUri())
                    + "; loop thread: " + robotLoop.threadTuning().message() + "; " + robotLoop.cpuLatency().message());
            RobotRuntime running = rt;
            Hardware opened = hw;
            Thread hook = new Thread(() -> {
                running.close();
                opened.close();
            }, "chromatic-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            stop.await();
            Runtime.getRuntime().removeShutdownHook(hook);
            if (watchdog != null) {
                watchdog.close();
            }
            if (updates != null) {
                out.println("chromatic-robot: " + updates.stateJson());
            }
            rt.close();
            hw.close();
            return 0;
        } catch (ConfigException e) {
            err.println("chromatic-robot: " + config + ": " + e.getMessage());
            return 2;
        } catch (PolicyFormatException e) {
            err.println("chromatic-robot: policy.file: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("chromatic-robot: " + e.getMessage());
            return 2;
        } catch (HardwareException | IOException e) {
            err.println("chromatic-robot: " + cfg.hal() + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            if (rt != null) {
                rt.close();
            }
            if (hw != null) {
                hw.close();
            }
        }
    }

    private static Hardware openHardware(RobotConfig cfg, RobotSpec spec, long periodNs)
            throws ConfigException, HardwareException {
        if (cfg.hal().startsWith(RemoteHardware.HAL_PREFIX)) {
            return RemoteHardware.fromSetting(cfg.hal(), spec, periodNs, cfg.remoteRoundTripNs(), NanoClock.system());
        }
        if (cfg.hal().equals("device")) {
            return DeviceHardware.open(DeviceConfig.fromProperties(cfg.raw(), cfg.baseDir()), spec);
        }
        throw new ConfigException("hal", "\"" + cfg.hal() + "\" is not available on the robot (the sim backend "
                + "runs with ./chromatic run --hal sim)");
    }

    private static PolicyUpdateService startUpdates(RobotConfig cfg, RobotSpec spec, long periodNs, RobotRuntime rt) {
        PolicyUpdateService updates = PolicyUpdates.create(PolicyUpdateSettings.from(cfg.raw()), spec, periodNs,
                rt.control()::offerPolicy, rt.outbox()::offer, rt.safety()::isArmed, NanoClock.system());
        rt.safety().setTripListener(updates.health());
        if (rt.telemetry() != null) {
            rt.telemetry().setPolicyStoreState(updates::stateFields);
        }
        if (rt.link() != null) {
            rt.link().subscribe(rt.topics().sub("policy"), 1, (topic, bytes) -> updates.submit(bytes),
                    (topic, bytes) -> rt.outbox().offer(new dev.chromatic.runtime.json.JsonWriter()
                            .put("event", "policy_ignored").put("reason", "retained").put("bytes", bytes.length)
                            .put("time_ms", System.currentTimeMillis()).end()));
        }
        updates.boot();
        dev.chromatic.runtime.agent.AgentRunner.start(updates,
                new dev.chromatic.runtime.agent.ParkingIdleStrategy(10_000_000L), t -> { }, true);
        return updates;
    }
}
