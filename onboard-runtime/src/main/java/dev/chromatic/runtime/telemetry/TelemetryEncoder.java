package dev.chromatic.runtime.telemetry;

import com.google.flatbuffers.FlatBufferBuilder;
import dev.chromatic.runtime.telemetry.fb.SampleFb;
import dev.chromatic.runtime.telemetry.fb.TelemetryBatchFb;

/** Encodes a batch of samples as a {@code TelemetryBatchFb} (schema: src/main/fbs/telemetry.fbs). Reuses its builder. */
public final class TelemetryEncoder {

    private final FlatBufferBuilder builder = new FlatBufferBuilder(16 * 1024);
    private int[] sampleOffsets = new int[64];

    /** Facts that go with every batch. */
    public record BatchInfo(String robotId, long batch, long periodNs, int decimation, long dropped,
                            long overruns, long missed) {
    }

    public byte[] encode(BatchInfo info, TelemetrySample[] samples, int count) {
        builder.clear();
        if (sampleOffsets.length < count) {
            sampleOffsets = new int[count];
        }
        for (int i = 0; i < count; i++) {
            TelemetrySample s = samples[i];
            int obs = floats(s.observation, s.observationLength);
            int act = floats(s.action, s.actionLength);
            int tgt = floats(s.motorTargetRad, s.motorTargetRad.length);
            int ang = floats(s.motorAngleRad, s.motorAngleRad.length);
            SampleFb.startSampleFb(builder);
            SampleFb.addCycle(builder, s.cycle);
            SampleFb.addTimeNs(builder, s.timeNs);
            SampleFb.addLatenessNs(builder, s.latenessNs);
            SampleFb.addCycleNs(builder, s.cycleNs);
            SampleFb.addState(builder, (byte) s.state);
            SampleFb.addReason(builder, (byte) s.reason);
            SampleFb.addPhase(builder, (byte) s.phase);
            SampleFb.addRollRad(builder, (float) s.rollRad);
            SampleFb.addPitchRad(builder, (float) s.pitchRad);
            SampleFb.addRollRateRadS(builder, (float) s.rollRateRadS);
            SampleFb.addPitchRateRadS(builder, (float) s.pitchRateRadS);
            SampleFb.addObservation(builder, obs);
            SampleFb.addAction(builder, act);
            SampleFb.addMotorTargetRad(builder, tgt);
            SampleFb.addMotorAngleRad(builder, ang);
            sampleOffsets[i] = SampleFb.endSampleFb(builder);
        }
        TelemetryBatchFb.startSamplesVector(builder, count);
        for (int i = count - 1; i >= 0; i--) {
            builder.addOffset(sampleOffsets[i]);
        }
        int vec = builder.endVector();
        int id = builder.createString(info.robotId());
        TelemetryBatchFb.startTelemetryBatchFb(builder);
        TelemetryBatchFb.addRobotId(builder, id);
        TelemetryBatchFb.addBatch(builder, info.batch());
        TelemetryBatchFb.addPeriodNs(builder, info.periodNs());
        TelemetryBatchFb.addDecimation(builder, info.decimation());
        TelemetryBatchFb.addDropped(builder, info.dropped());
        TelemetryBatchFb.addOverruns(builder, info.overruns());
        TelemetryBatchFb.addMissed(builder, info.missed());
        TelemetryBatchFb.addSamples(builder, vec);
        int root = TelemetryBatchFb.endTelemetryBatchFb(builder);
        TelemetryBatchFb.finishTelemetryBatchFbBuffer(builder, root);
        return builder.sizedByteArray();
    }

    private int floats(double[] v, int n) {
        builder.startVector(4, n, 4);
        for (int i = n - 1; i >= 0; i--) {
            builder.addFloat((float) v[i]);
        }
        return builder.endVector();
    }

    /** Decodes a batch, checking the file identifier; throws IllegalArgumentException when it is not one. */
    public static TelemetryBatchFb decode(byte[] bytes) {
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(bytes);
        if (bytes.length < 8 || !TelemetryBatchFb.TelemetryBatchFbBufferHasIdentifier(bb)) {
            throw new IllegalArgumentException("not a telemetry batch (file identifier CTEL missing)");
        }
        return TelemetryBatchFb.getRootAsTelemetryBatchFb(bb);
    }
}
