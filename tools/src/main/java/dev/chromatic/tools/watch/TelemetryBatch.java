package dev.chromatic.tools.watch;

import dev.chromatic.runtime.telemetry.fb.SampleFb;
import dev.chromatic.runtime.telemetry.fb.TelemetryBatchFb;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One decoded telemetry batch (schema {@code telemetry.fbs}, file identifier {@code CTEL}). Decoding
 * checks the identifier and bounds every vector, so a damaged message is refused with a message
 * instead of throwing an index error deep inside the FlatBuffers accessors. Immutable.
 */
record TelemetryBatch(String robotId, long batch, long periodNs, long decimation, long dropped, long overruns,
                      long missed, List<Sample> samples) {

    /** Most samples a batch may carry; more means the message is damaged. */
    static final int MAX_SAMPLES = 100_000;
    /** Longest observation, action or motor vector accepted. */
    static final int MAX_VECTOR = 1024;

    /** One control cycle as the robot recorded it. */
    record Sample(long cycle, long timeNs, long latenessNs, long cycleNs, int state, int reason, int phase, float rollRad,
                  float pitchRad, float rollRateRadS, float pitchRateRadS, float[] observation, float[] action, float[] motorTargetRad, float[] motorAngleRad) {
    }

    /** Decodes {@code bytes}; throws {@link IllegalArgumentException} naming what is wrong. */
    static TelemetryBatch decode(byte[] bytes) {
        ByteBuffer bb = ByteBuffer.wrap(bytes);
        if (bytes.length < 8 || !TelemetryBatchFb.TelemetryBatchFbBufferHasIdentifier(bb)) {
            throw new IllegalArgumentException("not a telemetry batch (file identifier CTEL missing)");
        }
        try {
            TelemetryBatchFb b = TelemetryBatchFb.getRootAsTelemetryBatchFb(bb);
            int n = b.samplesLength();
            if (n < 0 || n > MAX_SAMPLES) {
                throw new IllegalArgumentException("batch claims " + n + " samples");
            }
            List<Sample> samples = new ArrayList<>(n);
            SampleFb s = new SampleFb();
            for (int i = 0; i < n; i++) {
                b.samples(s, i);
                samples.add(new Sample(s.cycle(), s.timeNs(), s.latenessNs(), s.cycleNs(), s.state(), s.reason(),
                        s.phase(), s.rollRad(), s.pitchRad(), s.rollRateRadS(), s.pitchRateRadS(),
                        floats("observation", s.observationLength(), s::observation),
                        floats("action", s.actionLength(), s::action),
                        floats("motor_target_rad", s.motorTargetRadLength(), s::motorTargetRad),
                        floats("motor_angle_rad", s.motorAngleRadLength(), s::motorAngleRad)));
            }
            return new TelemetryBatch(b.robotId(), b.batch(), b.periodNs(), b.decimation(), b.dropped(), b.overruns(),
                    b.missed(), List.copyOf(samples));
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            throw new IllegalArgumentException("damaged telemetry batch: " + e.getMessage(), e);
        }
    }

    private interface FloatAt {
        float get(int i);
    }

    private static float[] floats(String field, int n, FloatAt at) {
        if (n < 0 || n > MAX_VECTOR) {
            throw new IllegalArgumentException(field + " has " + n + " entries");
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = at.get(i);
        }
        return v;
    }
}
