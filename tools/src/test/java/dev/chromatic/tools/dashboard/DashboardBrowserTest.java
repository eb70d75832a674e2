package dev.chromatic.tools.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.runtime.events.Reason;
import dev.chromatic.runtime.events.SafetyState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

/**
 * The dashboard in a real browser against a running robot runtime: live state and moving plots,
 * arming from the page (held armed by the page's heartbeats past the robot's link timeout), the
 * space bar latching the robot's E-stop, a gamepad's arm, disarm and E-stop, and the E-stop button.
 * Prints the event-to-page latency it measured.
 *
 * <p>{@code -Ddashboard.soak.minutes=10} runs {@link #pageMemoryStaysFlat} by hand (not part of the
 * build): the page's JS heap every minute, minute 1 against the last; with
 * {@code -Ddashboard.screenshot=FILE} it also saves a screenshot of the page.
 */
class DashboardBrowserTest {

    /** The robot's link timeout: the page must keep the robot armed past it. */
    private static final long LINK_TIMEOUT_NS = 2_000_000_000L;

    @BeforeEach
    void needsChromium() {
        String missing = DashboardRig.browserMissing();
        if (missing != null) {
            System.out.println("SKIPPED DashboardBrowserTest: " + missing);
        }
        Assumptions.assumeTrue(missing == null, missing);
    }

    private ChromeDriver page;

    private void await(String what, long timeoutMs, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - end >= 0) {
                String seen = page == null ? "" : "; the page said '" + text(page, "cmd-result") + "', its events:\n"
                        + text(page, "events");
                throw new AssertionError("no " + what + " within " + timeoutMs + " ms" + seen);
            }
            Thread.sleep(50);
        }
    }

    private static Object js(ChromeDriver d, String script) {
        return d.executeScript(script);
    }

    private static long number(ChromeDriver d, String script) {
        return ((Number) js(d, "return " + script)).longValue();
    }

    private static String text(ChromeDriver d, String id) {
        return d.findElement(By.id(id)).getText();
    }

    @Test
    void showsTheLiveRobotArmsAndLatchesEstopFromTheSpaceBar() throws Exception {
        try (DashboardRig rig = new DashboardRig("r1", LINK_TIMEOUT_NS)) {
            page = rig.openPage();
            await("state on the page", 20_000, () -> text(page, "state").equals("DISARMED"));
            assertEquals("5e".repeat(32), text(page, "policy-sha"));
            assertEquals("7", text(page, "policy-version"));
            await("telemetry on the page", 20_000, () -> number(page, "window.dashboard.samples") >= 10);
            long points = number(page, "window.dashboard.plotPoints()");
            long draws = number(page, "window.dashboard.plotsDrawn");
            Thread.sleep(1500);
            long morePoints = number(page, "window.dashboard.plotPoints()");
            assertTrue(morePoints > points, "the plot gained points: " + points + " -> " + morePoints);
            assertTrue(number(page, "window.dashboard.plotsDrawn") > draws, "and was redrawn");
            double rateHz = (morePoints - points) / 1.5;

            page.findElement(By.id("btn-arm")).click();
            await("the robot armed", 10_000, () -> rig.robot.safety().state() == SafetyState.ARMED);
            await("armed on the page", 10_000, () -> text(page, "state").equals("ARMED"));
            Thread.sleep(LINK_TIMEOUT_NS / 1_000_000 + 1500);
            assertEquals(SafetyState.ARMED, rig.robot.safety().state(),
                    "the page's heartbeats kept the robot armed past its link timeout: " + rig.robot.safety().reason());

            new Actions(page).sendKeys(Keys.SPACE).perform();
            await("the robot's E-stop", 10_000, () -> rig.robot.safety().state() == SafetyState.SAFE);
            assertEquals(Reason.ESTOP_COMMAND, rig.robot.safety().reason());
            await("safe on the page", 10_000, () -> text(page, "state").equals("SAFE")
                    && text(page, "safe-reason").equals("estop_command"));
            await("the safe_state event in the log", 10_000,
                    () -> page.findElements(By.cssSelector("#events li.safe_state")).size() == 1);

            page.findElement(By.id("btn-reset")).click();
            await("the robot reset", 10_000, () -> rig.robot.safety().state() == SafetyState.DISARMED);

            // a gamepad in the standard mapping, as the Gamepad API presents one
            js(page, "window.testPad = {id: 'test pad', index: 0, mapping: 'standard', connected: true,"
                    + " buttons: Array.from({length: 17}, () => ({pressed: false, value: 0}))};"
                    + " navigator.getGamepads = () => [window.testPad];");
            js(page, "testPad.buttons[9].pressed = true;");
            Thread.sleep(300);
            js(page, "testPad.buttons[9].pressed = false;");
            Thread.sleep(300);
            assertEquals(SafetyState.DISARMED, rig.robot.safety().state(), "Start alone does not arm");
            js(page, "testPad.buttons[0].pressed = true; testPad.buttons[9].pressed = true;");
            await("arming from the gamepad (A held, Start)", 10_000, () -> rig.robot.safety().state() == SafetyState.ARMED);
            js(page, "testPad.buttons[0].pressed = false; testPad.buttons[9].pressed = false; testPad.buttons[2].pressed = true;");
            await("disarming from the gamepad (X)", 10_000, () -> rig.robot.safety().state() == SafetyState.DISARMED);
            js(page, "testPad.buttons[2].pressed = false; testPad.buttons[1].pressed = true;");
            await("E-stop from the gamepad (B)", 10_000, () -> rig.robot.safety().state() == SafetyState.SAFE);
            js(page, "testPad.buttons[1].pressed = false;");

            page.findElement(By.id("btn-reset")).click();
            await("the robot reset", 10_000, () -> rig.robot.safety().state() == SafetyState.DISARMED);
            page.findElement(By.id("btn-estop")).click();
            await("the E-stop button", 10_000, () -> rig.robot.safety().state() == SafetyState.SAFE);

            @SuppressWarnings("unchecked")
            List<Number> latencies = (List<Number>) js(page, "return window.dashboard.latenciesMs.slice()");
            assertTrue(latencies.size() >= 3, "armed, safe_state, reset, safe_state: " + latencies);
            double[] ms = latencies.stream().mapToDouble(Number::doubleValue).sorted().toArray();
            System.out.println(String.format(Locale.ROOT,
                    "DASHBOARD_FIGURES {\"event_to_page_ms\":{\"n\":%d,\"min\":%.0f,\"median\":%.0f,\"max\":%.0f},"
                            + "\"plot_points_per_s\":%.1f}",
                    ms.length, ms[0], ms[ms.length / 2], ms[ms.length - 1], rateHz));
        }
    }

    @Test
    void pageMemoryStaysFlat() throws Exception {
        String minutes = System.getProperty("dashboard.soak.minutes");
        Assumptions.assumeTrue(minutes != null, "a long run by hand: -Ddashboard.soak.minutes=10");
        double total = Double.parseDouble(minutes);
        Assumptions.assumeTrue(total >= 1, "whole minutes: -Ddashboard.soak.minutes=10");
        try (DashboardRig rig = new DashboardRig("soak", LINK_TIMEOUT_NS)) {
            page = rig.openPage();
            await("telemetry on the page", 20_000, () -> number(page, "window.dashboard.samples") >= 10);
            page.findElement(By.id("btn-arm")).click();
            await("the robot armed", 10_000, () -> rig.robot.safety().state() == SafetyState.ARMED);
            long startNs = System.nanoTime();
            Map<String, Object> first = null;
            Map<String, Object> last = null;
            long count = Math.round(total);
            for (int minute = 1; minute <= count; minute++) {
                long atNs = startNs + minute * 60_000_000_000L;
                while (System.nanoTime() - atNs < 0) {
                    Thread.sleep(Math.max(1, Math.min(1000, (atNs - System.nanoTime()) / 1_000_000)));
                }
                last = heap(page, minute);
                System.out.println("DASHBOARD_SOAK " + last);
                if (first == null) {
                    first = last;
                }
            }
            assertEquals(SafetyState.ARMED, rig.robot.safety().state(), "held armed by the page all along");
            String shot = System.getProperty("dashboard.screenshot");
            if (shot != null) {
                Files.write(Path.of(shot), page.getScreenshotAs(OutputType.BYTES));
            }
            double growth = ((Number) last.get("after_gc")).doubleValue() / ((Number) first.get("after_gc")).doubleValue() - 1;
            System.out.println(String.format(Locale.ROOT, "DASHBOARD_SOAK_GROWTH %.1f %%", 100 * growth));
            assertTrue(growth < 0.20, "JS heap after GC grew " + growth);
        }
    }

    /**
     * The page's JS heap now ({@code performance.memory}), and what a full collection leaves: the
     * least of three collections, each read at once over the DevTools protocol (telemetry keeps
     * arriving, so one reading also holds whatever came in since the collection).
     */
    private static Map<String, Object> heap(ChromeDriver page, double minute) {
        long before = number(page, "performance.memory.usedJSHeapSize");
        long after = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            page.executeCdpCommand("HeapProfiler.collectGarbage", Map.of());
            Map<String, Object> usage = page.executeCdpCommand("Runtime.getHeapUsage", Map.of());
            after = Math.min(after, ((Number) usage.get("usedSize")).longValue());
        }
        return Map.of("minute", Math.round(minute * 10) / 10.0, "used", before, "after_gc", after,
                "samples", number(page, "window.dashboard.samples"), "events", page.findElements(By.cssSelector("#events li")).size());
    }
}
