package dev.chromatic.tools.dashboard;

import dev.chromatic.hal.NanoClock;
import dev.chromatic.hal.standin.StandInHardware;
import dev.chromatic.runtime.app.RobotRuntime;
import dev.chromatic.runtime.loop.InstalledPolicy;
import dev.chromatic.runtime.loop.LoopSettings;
import dev.chromatic.runtime.loop.RobotLoop;
import dev.chromatic.runtime.loop.StandUpSettings;
import dev.chromatic.runtime.mqtt.MqttSettings;
import dev.chromatic.runtime.operator.CommandSettings;
import dev.chromatic.runtime.operator.CounterStore;
import dev.chromatic.runtime.operator.OperatorKeys;
import dev.chromatic.runtime.policy.PolicyKeys;
import dev.chromatic.tools.broker.BrokerOptions;
import dev.chromatic.tools.cmd.OperatorSigner;
import dev.chromatic.tools.run.EmbeddedBroker;
import dev.chromatic.tools.testing.HoldPoseStep;
import java.io.File;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A robot runtime on the stand-in hardware (the robot's own loop, safety, telemetry and command
 * checks) behind an embedded broker, the dashboard with the operator's key, and headless Chromium
 * to open it. The stand-in's attitude sways slowly (well inside the safety limits) so the plots move.
 */
final class DashboardRig implements AutoCloseable {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final long PERIOD_NS = 10_000_000L;

    final EmbeddedBroker broker;
    final StandInHardware hardware;
    final RobotRuntime robot;
    final DashboardServer dashboard;
    private final Thread sway;
    private volatile boolean running = true;
    private final List<ChromeDriver> browsers = new ArrayList<>();

    /** Why a browser test cannot run here, or null when Chromium and its driver are installed. */
    static String browserMissing() {
        for (String f : new String[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(Path.of(f))) {
                return f + " is not installed (apt-get install chromium chromium-driver)";
            }
        }
        return null;
    }

    DashboardRig(String robotId, long linkTimeoutNs) throws Exception {
        KeyPair operator = PolicyKeys.generate();
        broker = EmbeddedBroker.start("127.0.0.1", 0);
        hardware = new StandInHardware(NanoClock.system(), PERIOD_NS);
        RobotLoop loop = RobotLoop.context().hardware(hardware).clock(NanoClock.system())
                .settings(new LoopSettings(PERIOD_NS, 1, 8, false)).standUp(StandUpSettings.immediate())
                .linkTimeout(linkTimeoutNs).telemetry(1024).build();
        robot = new RobotRuntime(robotId, loop, MqttSettings.plain(broker.url(), "robot-" + robotId), 10,
                CommandSettings.of(OperatorKeys.of(operator.getPublic()), CounterStore.inMemory()));
        robot.control().offerPolicy(new InstalledPolicy(new HoldPoseStep(), "5e".repeat(32), 7, true, PERIOD_NS));
        robot.startTelemetryThread(t -> { });
        robot.startLoopThread(500_000L, 0, -1, t -> { });
        sway = new Thread(() -> {
            long t0 = System.nanoTime();
            while (running) {
                double t = (System.nanoTime() - t0) / 1e9;
                hardware.rollRad = 0.05 * Math.sin(2 * Math.PI * 0.4 * t);
                hardware.pitchRad = 0.03 * Math.cos(2 * Math.PI * 0.25 * t);
                hardware.rollRateRadPerS = 0.05 * 2 * Math.PI * 0.4 * Math.cos(2 * Math.PI * 0.4 * t);
                hardware.pitchRateRadPerS = -0.03 * 2 * Math.PI * 0.25 * Math.sin(2 * Math.PI * 0.25 * t);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "stand-in-sway");
        sway.setDaemon(true);
        sway.start();
        dashboard = DashboardServer.start(new DashboardServer.Settings(robotId, broker.url(), BrokerOptions.none(),
                InetAddress.getLoopbackAddress(), 0, OperatorSigner.of(operator, robotId)));
    }

    /** Headless Chromium on the dashboard's page. */
    ChromeDriver openPage() {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM);
        o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1500,1100", "--enable-precise-memory-info", "--js-flags=--expose-gc");
        ChromeDriver d = new ChromeDriver(service, o);
        browsers.add(d);
        d.get(dashboard.url());
        return d;
    }

    @Override
    public void close() {
        running = false;
        sway.interrupt();
        for (ChromeDriver d : browsers) {
            try {
                d.quit();
            } catch (RuntimeException e) {
                // the browser is gone already
            }
        }
        dashboard.close();
        try {
            robot.close();
        } catch (Exception e) {
            // stopping the robot: nothing left to do
        }
        broker.close();
    }
}
