package dev.chromatic.sim;

import java.util.Locale;
import java.util.Map;

/**
 * Settings of {@link MinitaurSim}: timing, motor model, contact friction, sensor noise, domain
 * randomisation and the seed. Immutable once built; {@link Builder#build()} validates every field
 * and names the bad key. Randomised quantities are given as [min, max] ranges drawn uniformly at
 * each {@code reset(seed)}; min == max means fixed. Text keys for {@link Builder#set} are the
 * field names below.
 */
public final class SimConfig {

    /** Physics substep: 1 ms, as in the reference environment. */
    public static final long SUBSTEP_NS = 1_000_000L;

    public final long controlPeriodNs;
    public final long pdLatencyNs;
    public final long controlLatencyMinNs;
    public final long controlLatencyMaxNs;
    public final boolean accurateMotorModel;
    public final boolean overheatCutoff;
    public final double kp;
    public final double kd;
    public final double voltageMinV;
    public final double voltageMaxV;
    public final double viscousDampingMin;
    public final double viscousDampingMax;
    public final double motorStrengthMin;
    public final double motorStrengthMax;
    public final double massScaleMin;
    public final double massScaleMax;
    public final double footFrictionMin;
    public final double footFrictionMax;
    public final double groundFriction;
    public final double motorAngleNoiseRad;
    public final double motorVelocityNoiseRadPerS;
    public final double attitudeNoiseRad;
    public final double gyroNoiseRadPerS;
    public final double gyroBiasRadPerS;
    public final double accelNoiseMps2;
    public final long seed;

    private SimConfig(Builder b) {
        controlPeriodNs = b.controlPeriodNs;
        pdLatencyNs = b.pdLatencyNs;
        controlLatencyMinNs = b.controlLatencyMinNs;
        controlLatencyMaxNs = b.controlLatencyMaxNs;
        accurateMotorModel = b.accurateMotorModel;
        overheatCutoff = b.overheatCutoff;
        kp = b.kp;
        kd = b.kd;
        voltageMinV = b.voltageMinV;
        voltageMaxV = b.voltageMaxV;
        viscousDampingMin = b.viscousDampingMin;
        viscousDampingMax = b.viscousDampingMax;
        motorStrengthMin = b.motorStrengthMin;
        motorStrengthMax = b.motorStrengthMax;
        massScaleMin = b.massScaleMin;
        massScaleMax = b.massScaleMax;
        footFrictionMin = b.footFrictionMin;
        footFrictionMax = b.footFrictionMax;
        groundFriction = b.groundFriction;
        motorAngleNoiseRad = b.motorAngleNoiseRad;
        motorVelocityNoiseRadPerS = b.motorVelocityNoiseRadPerS;
        attitudeNoiseRad = b.attitudeNoiseRad;
        gyroNoiseRadPerS = b.gyroNoiseRadPerS;
        gyroBiasRadPerS = b.gyroBiasRadPerS;
        accelNoiseMps2 = b.accelNoiseMps2;
        seed = b.seed;
    }

    /** Nominal robot, no randomisation, no noise, 10 ms control period. */
    public static SimConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Physics substeps per control period. */
    public int substepsPerControl() {
        return (int) (controlPeriodNs / SUBSTEP_NS);
    }

    /** True when any mass is randomised (the multibody is then rebuilt at reset). */
    public boolean randomizesMass() {
        return massScaleMin != 1.0 || massScaleMax != 1.0;
    }

    /** Mutable settings; public fields, checked once by {@link #build()}. */
    public static final class Builder {
        public long controlPeriodNs = 10_000_000L;
        public long pdLatencyNs = 3_000_000L;
        public long controlLatencyMinNs = 0L;
        public long controlLatencyMaxNs = 0L;
        public boolean accurateMotorModel = true;
        public boolean overheatCutoff = false;
        public double kp = 1.0;
        public double kd = 0.015;
        public double voltageMinV = 16.0;
        public double voltageMaxV = 16.0;
        public double viscousDampingMin = 0.0;
        public double viscousDampingMax = 0.0;
        public double motorStrengthMin = 1.0;
        public double motorStrengthMax = 1.0;
        public double massScaleMin = 1.0;
        public double massScaleMax = 1.0;
        public double footFrictionMin = 1.0;
        public double footFrictionMax = 1.0;
        public double groundFriction = 1.0;
        public double motorAngleNoiseRad = 0.0;
        public double motorVelocityNoiseRadPerS = 0.0;
        public double attitudeNoiseRad = 0.0;
        public double gyroNoiseRadPerS = 0.0;
        public double gyroBiasRadPerS = 0.0;
        public double accelNoiseMps2 = 0.0;
        public long seed = 0L;

        public Builder controlPeriodNs(long v) {
            controlPeriodNs = v;
            return this;
        }

        public Builder pdLatencyNs(long v) {
            pdLatencyNs = v;
            return this;
        }

        /** Fixed control (observation) latency. */
        public Builder controlLatencyNs(long v) {
            controlLatencyMinNs = v;
            controlLatencyMaxNs = v;
            return this;
        }

        public Builder accurateMotorModel(boolean v) {
            accurateMotorModel = v;
            return this;
        }

        public Builder overheatCutoff(boolean v) {
            overheatCutoff = v;
            return this;
        }

        public Builder gains(double kpPwmPerRad, double kdPwmPerRadPerS) {
            kp = kpPwmPerRad;
            kd = kdPwmPerRadPerS;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /**
         * The reference ranges: masses +-20 %, battery 14.8-16.8 V, viscous damping 0-0.01, motor
         * strength +-20 %, foot friction 0.5-1.25, control latency 0-20 ms, small sensor noise.
         */
        public Builder domainRandomization() {
            massScaleMin = 0.8;
            massScaleMax = 1.2;
            voltageMinV = 14.8;
            voltageMaxV = 16.8;
            viscousDampingMin = 0.0;
            viscousDampingMax = 0.01;
            motorStrengthMin = 0.8;
            motorStrengthMax = 1.2;
            footFrictionMin = 0.5;
            footFrictionMax = 1.25;
            controlLatencyMinNs = 0L;
            controlLatencyMaxNs = 20_000_000L;
            motorAngleNoiseRad = 0.01;
            motorVelocityNoiseRadPerS = 0.1;
            attitudeNoiseRad = 0.01;
            gyroNoiseRadPerS = 0.02;
            gyroBiasRadPerS = 0.01;
            accelNoiseMps2 = 0.1;
            return this;
        }

        /**
         * Sets one field from text ({@code key} = a field name; for a range, {@code name} sets both
         * ends, e.g. {@code voltageV=15}). Throws naming the key on an unknown key or a bad value.
         */
        public Builder set(String key, String value) {
            String v = value == null ? "" : value.trim();
            try {
                switch (key) {
                    case "controlPeriodNs" -> controlPeriodNs = Long.parseLong(v);
                    case "controlPeriodMs" -> controlPeriodNs = Math.round(Double.parseDouble(v) * 1e6);
                    case "pdLatencyNs" -> pdLatencyNs = Long.parseLong(v);
                    case "controlLatencyNs" -> controlLatencyNs(Long.parseLong(v));
                    case "controlLatencyMinNs" -> controlLatencyMinNs = Long.parseLong(v);
                    case "controlLatencyMaxNs" -> controlLatencyMaxNs = Long.parseLong(v);
                    case "accurateMotorModel" -> accurateMotorModel = parseBoolean(key, v);
                    case "overheatCutoff" -> overheatCutoff = parseBoolean(key, v);
                    case "kp" -> kp = Double.parseDouble(v);
                    case "kd" -> kd = Double.parseDouble(v);
                    case "voltageV" -> voltageMinV = voltageMaxV = Double.parseDouble(v);
                    case "voltageMinV" -> voltageMinV = Double.parseDouble(v);
                    case "voltageMaxV" -> voltageMaxV = Double.parseDouble(v);
                    case "viscousDamping" -> viscousDampingMin = viscousDampingMax = Double.parseDouble(v);
                    case "viscousDampingMin" -> viscousDampingMin = Double.parseDouble(v);
                    case "viscousDampingMax" -> viscousDampingMax = Double.parseDouble(v);
                    case "motorStrength" -> motorStrengthMin = motorStrengthMax = Double.parseDouble(v);
                    case "motorStrengthMin" -> motorStrengthMin = Double.parseDouble(v);
                    case "motorStrengthMax" -> motorStrengthMax = Double.parseDouble(v);
                    case "massScaleMin" -> massScaleMin = Double.parseDouble(v);
                    case "massScaleMax" -> massScaleMax = Double.parseDouble(v);
                    case "footFriction" -> footFrictionMin = footFrictionMax = Double.parseDouble(v);
                    case "footFrictionMin" -> footFrictionMin = Double.parseDouble(v);
                    case "footFrictionMax" -> footFrictionMax = Double.parseDouble(v);
                    case "groundFriction" -> groundFriction = Double.parseDouble(v);
                    case "motorAngleNoiseRad" -> motorAngleNoiseRad = Double.parseDouble(v);
                    case "motorVelocityNoiseRadPerS" -> motorVelocityNoiseRadPerS = Double.parseDouble(v);
                    case "attitudeNoiseRad" -> attitudeNoiseRad = Double.parseDouble(v);
                    case "gyroNoiseRadPerS" -> gyroNoiseRadPerS = Double.parseDouble(v);
                    case "gyroBiasRadPerS" -> gyroBiasRadPerS = Double.parseDouble(v);
                    case "accelNoiseMps2" -> accelNoiseMps2 = Double.parseDouble(v);
                    case "seed" -> seed = Long.parseLong(v);
                    case "domainRandomization" -> {
                        if (parseBoolean(key, v)) {
                            domainRandomization();
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown sim setting '" + key + "'");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("sim setting '" + key + "' is not a number: '" + value + "'");
            }
            return this;
        }

        /** Applies every entry of {@code settings} with {@link #set}. */
        public Builder setAll(Map<String, String> settings) {
            settings.forEach(this::set);
            return this;
        }

        /** Checks every field; the message names the first bad one. */
        public SimConfig build() {
            if (controlPeriodNs < SUBSTEP_NS || controlPeriodNs % SUBSTEP_NS != 0) {
                throw new IllegalArgumentException("controlPeriodNs must be a positive multiple of 1 ms, was "
                        + controlPeriodNs);
            }
            checkLatency("pdLatencyNs", pdLatencyNs);
            checkLatency("controlLatencyMinNs", controlLatencyMinNs);
            checkLatency("controlLatencyMaxNs", controlLatencyMaxNs);
            checkRange("controlLatency", controlLatencyMinNs, controlLatencyMaxNs);
            checkNonNegative("kp", kp);
            checkNonNegative("kd", kd);
            checkPositive("voltageMinV", voltageMinV);
            checkRange("voltage", voltageMinV, voltageMaxV);
            checkNonNegative("viscousDampingMin", viscousDampingMin);
            checkRange("viscousDamping", viscousDampingMin, viscousDampingMax);
            checkPositive("motorStrengthMin", motorStrengthMin);
            checkRange("motorStrength", motorStrengthMin, motorStrengthMax);
            checkPositive("massScaleMin", massScaleMin);
            checkRange("massScale", massScaleMin, massScaleMax);
            checkNonNegative("footFrictionMin", footFrictionMin);
            checkRange("footFriction", footFrictionMin, footFrictionMax);
            checkNonNegative("groundFriction", groundFriction);
            checkNonNegative("motorAngleNoiseRad", motorAngleNoiseRad);
            checkNonNegative("motorVelocityNoiseRadPerS", motorVelocityNoiseRadPerS);
            checkNonNegative("attitudeNoiseRad", attitudeNoiseRad);
            checkNonNegative("gyroNoiseRadPerS", gyroNoiseRadPerS);
            checkNonNegative("gyroBiasRadPerS", gyroBiasRadPerS);
            checkNonNegative("accelNoiseMps2", accelNoiseMps2);
            return new SimConfig(this);
        }

        private static boolean parseBoolean(String key, String v) {
            String s = v.toLowerCase(Locale.ROOT);
            if (s.equals("true") || s.equals("1") || s.equals("on")) {
                return true;
            }
            if (s.equals("false") || s.equals("0") || s.equals("off")) {
                return false;
            }
            throw new IllegalArgumentException("sim setting '" + key + "' must be true or false, was '" + v + "'");
        }

        private static void checkLatency(String key, long ns) {
            if (ns < 0 || ns > 1_000_000_000L || ns % SUBSTEP_NS != 0) {
                throw new IllegalArgumentException(key + " must be a multiple of 1 ms in [0, 1 s], was " + ns);
            }
        }

        private static void checkRange(String key, double min, double max) {
            if (!(min <= max)) {
                throw new IllegalArgumentException(key + "Min must be <= " + key + "Max (" + min + " > " + max + ")");
            }
        }

        private static void checkNonNegative(String key, double v) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(key + " must be a finite number >= 0, was " + v);
            }
        }

        private static void checkPositive(String key, double v) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(key + " must be a finite number > 0, was " + v);
            }
        }
    }
}
