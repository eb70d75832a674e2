package dev.chromatic.hal.device;

/**
 * How one servo turns a motor angle of the model into a pulse width:
 * {@code pulseUs = clamp(zeroPulseUs + direction * usPerRad * angleRad, minPulseUs, maxPulseUs)},
 * where {@code zeroPulseUs} puts the joint at the model's zero (upper link straight down).
 */
public final class JointCalibration {

    public final int channel;
    public final double zeroPulseUs;
    public final int direction;
    public final double usPerRad;
    public final double minPulseUs;
    public final double maxPulseUs;

    /** Checks every field; messages name the joint and the field. */
    public JointCalibration(String joint, int channel, double zeroPulseUs, int direction, double usPerRad,
                            double minPulseUs, double maxPulseUs) {
        String key = "joint." + joint + ".";
        if (channel < 0 || channel >= Pca9685.CHANNELS) {
            throw new IllegalArgumentException(key + "channel must be 0..15, was " + channel);
        }
        if (direction != 1 && direction != -1) {
            throw new IllegalArgumentException(key + "direction must be 1 or -1, was " + direction);
        }
        if (!(usPerRad > 0) || Double.isInfinite(usPerRad)) {
            throw new IllegalArgumentException(key + "usPerRad must be > 0, was " + usPerRad);
        }
        if (!(minPulseUs >= 400 && minPulseUs < maxPulseUs && maxPulseUs <= 2600)) {
            throw new IllegalArgumentException(key + "minPulseUs/maxPulseUs must satisfy 400 <= min < max <= 2600, were "
                    + minPulseUs + "/" + maxPulseUs);
        }
        if (!(zeroPulseUs >= minPulseUs - 2000 && zeroPulseUs <= maxPulseUs + 2000)) {
            throw new IllegalArgumentException(key + "zeroPulseUs is implausible: " + zeroPulseUs);
        }
        this.channel = channel;
        this.zeroPulseUs = zeroPulseUs;
        this.direction = direction;
        this.usPerRad = usPerRad;
        this.minPulseUs = minPulseUs;
        this.maxPulseUs = maxPulseUs;
    }

    /** The pulse for a model angle, clamped to the joint's limits. */
    public double pulseUs(double angleRad) {
        double us = zeroPulseUs + direction * usPerRad * angleRad;
        return us < minPulseUs ? minPulseUs : (us > maxPulseUs ? maxPulseUs : us);
    }

    /** The model angle a pulse corresponds to (inverse of {@link #pulseUs} inside the limits). */
    public double angleRad(double pulseUs) {
        return (pulseUs - zeroPulseUs) / (direction * usPerRad);
    }
}
