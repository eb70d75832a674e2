package dev.chromatic.tools.flash;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.NanoClock;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.runtime.inference.FloatNetwork;
import dev.chromatic.runtime.loop.InstalledPolicy;
import dev.chromatic.runtime.policy.TrustedKeys;
import dev.chromatic.runtime.stack.ControllerStep;
import dev.chromatic.runtime.update.HealthWindow;
import dev.chromatic.runtime.update.PolicyCompatibility;
import dev.chromatic.runtime.update.PolicyFileOpener;
import dev.chromatic.runtime.update.PolicyStore;
import dev.chromatic.runtime.update.PolicyUpdateService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The robot side of a flash over a real broker: the update service with a store in a temp folder,
 * fed from chromatic/&lt;id&gt;/policy, answering on events and keeping the state topic retained.
 */
final class RobotStandIn implements AutoCloseable {

    static final String STACK = "test-stack";
    static final long PERIOD_NS = 6_000_000L;

    final List<InstalledPolicy> offered = new CopyOnWriteArrayList<>();
    /** Whether the stand-in robot is armed (a policy arriving then is only staged). */
    final AtomicBoolean armed = new AtomicBoolean();
    final PolicyUpdateService service;
    private final MqttClient client;
    private final Thread worker;
    private volatile boolean running = true;

    RobotStandIn(String brokerUrl, String id, Path storeDir, TrustedKeys trust) throws Exception {
        this(brokerUrl, id, storeDir, trust, 60_000_000_000L);
    }

    RobotStandIn(String brokerUrl, String id, Path storeDir, TrustedKeys trust, long healthWindowNs) throws Exception {
        client = new MqttClient(brokerUrl, "robot-" + id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        client.connect(o);
        PolicyFileOpener opener = PolicyFileOpener.signedBy(trust);
        PolicyStore store = PolicyStore.open(storeDir, PolicyFileOpener.verifierFor(opener));
        String events = "chromatic/" + id + "/events";
        String state = "chromatic/" + id + "/state";
        service = new PolicyUpdateService(new PolicyUpdateService.Config(store, opener,
                new PolicyCompatibility("minitaur", STACK, 3, 2, PERIOD_NS), RobotSpec.minitaur(),
                p -> new Step(FloatNetwork.of(p)), offered::add, json -> {
                    publish(events, json, false);
                    publish(state, "{\"safety\":\"" + (armed.get() ? "armed" : "disarmed") + "\",\"policy\":"
                            + serviceState() + "}", true);
                }, new HealthWindow(healthWindowNs), armed::get, NanoClock.system(), 1 << 20));
        client.subscribe("chromatic/" + id + "/policy", 1, (t, m) -> service.submit(m.getPayload()));
        publish(state, "{\"safety\":\"disarmed\",\"policy\":" + service.stateJson() + "}", true);
        worker = new Thread(() -> {
            while (running) {
                if (service.doWork() == 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
                }
            }
        }, "policy-update");
        worker.start();
    }

    private String serviceState() {
        return service == null ? "{}" : service.stateJson();
    }

    private void publish(String topic, String json, boolean retained) {
        try {
            MqttMessage m = new MqttMessage(json.getBytes(StandardCharsets.UTF_8));
            m.setQos(1);
            m.setRetained(retained);
            client.publish(topic, m);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        worker.join(5000);
        client.disconnect();
        client.close();
    }

    /** Observation (roll, pitch, roll rate) through the policy's float network. */
    private static final class Step implements ControllerStep {
        private final FloatNetwork net;
        private final double[] obs;
        private final double[] act;

        Step(FloatNetwork net) {
            this.net = net;
            this.obs = new double[net.inputDim()];
            this.act = new double[net.outputDim()];
        }

        @Override
        public void reset(double startPhaseRad) {
        }

        @Override
        public void step(SensorFrame f, MotorCommand out) {
            obs[0] = f.rollRad;
            obs[1] = f.pitchRad;
            obs[2] = f.rollRateRadPerS;
            net.evaluate(obs, act);
            out.mode = MotorCommand.Mode.POSITION;
            System.arraycopy(f.motorAngleRad, 0, out.positionRad, 0, out.motorCount);
        }

        @Override
        public double[] observation() {
            return obs;
        }

        @Override
        public double[] action() {
            return act;
        }
    }
}
