package dev.chromatic.hal.remote;

import com.google.flatbuffers.FlatBufferBuilder;
import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.hal.remote.fb.Body;
import dev.chromatic.hal.remote.fb.Command;
import dev.chromatic.hal.remote.fb.DriveMode;
import dev.chromatic.hal.remote.fb.Frame;
import dev.chromatic.hal.remote.fb.Hello;
import dev.chromatic.hal.remote.fb.Packet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Encodes and decodes the datagrams of the hardware-in-the-loop link (docs/hil.md): a 4-byte
 * little-endian CRC-32C of the rest, then a FlatBuffers {@code Packet} with identifier "CHIL".
 * Buffers and table accessors are made once; encoding and decoding allocate nothing.
 *
 * <p>Not thread-safe: one codec per thread.
 */
public final class HilCodec {

    /** Version of the message layout; both ends must agree. */
    public static final int PROTOCOL_VERSION = 1;
    /** Largest datagram the link sends or accepts. */
    public static final int MAX_DATAGRAM_BYTES = 2048;
    /** Bytes before the FlatBuffers payload: the CRC-32C. */
    public static final int HEADER_BYTES = 4;

    /** {@link #decode} result: the checksum did not match. */
    public static final int BAD_CHECKSUM = -1;
    /** {@link #decode} result: too short, wrong identifier, unknown body or unreadable buffer. */
    public static final int MALFORMED = -2;

    private final int motorCount;
    private final FlatBufferBuilder builder = new FlatBufferBuilder(1024);
    private final ByteBuffer out = ByteBuffer.allocate(MAX_DATAGRAM_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();
    private final Packet packet = new Packet();
    private final Hello hello = new Hello();
    private final Command command = new Command();
    private final Frame frame = new Frame();

    public HilCodec(int motorCount) {
        if (motorCount <= 0) {
            throw new IllegalArgumentException("motorCount must be > 0, was " + motorCount);
        }
        this.motorCount = motorCount;
    }

    public int motorCount() {
        return motorCount;
    }

    /** The datagram of a session-opening request; valid until the next encode. */
    public ByteBuffer encodeHello(long session, long controlPeriodNs) {
        builder.clear();
        Hello.startHello(builder);
        Hello.addSession(builder, session);
        Hello.addControlPeriodNs(builder, controlPeriodNs);
        Hello.addProtocolVersion(builder, PROTOCOL_VERSION);
        Hello.addMotorCount(builder, motorCount);
        int body = Hello.endHello(builder);
        return finish(Body.Hello, body);
    }

    /** The datagram carrying one motor command; valid until the next encode. */
    public ByteBuffer encodeCommand(long session, long seq, MotorCommand cmd) {
        builder.clear();
        int position = doubles(cmd.positionRad);
        int kp = doubles(cmd.kp);
        int kd = doubles(cmd.kd);
        int ff = doubles(cmd.feedforwardTorqueNm);
        Command.startCommand(builder);
        Command.addSession(builder, session);
        Command.addSeq(builder, seq);
        Command.addMode(builder, driveMode(cmd.mode));
        Command.addCustomGains(builder, cmd.customGains);
        Command.addPositionRad(builder, position);
        Command.addKp(builder, kp);
        Command.addKd(builder, kd);
        Command.addFeedforwardTorqueNm(builder, ff);
        int body = Command.endCommand(builder);
        return finish(Body.Command, body);
    }

    /**
     * The datagram carrying a sensor frame; valid until the next encode. {@code robot} is sent only
     * when non-null (the answer to a hello), so steady-state frames encode no strings.
     */
    public ByteBuffer encodeFrame(long session, long seq, long step, boolean held, boolean damped,
                                  long controlPeriodNs, String robot, SensorFrame f) {
        builder.clear();
        int robotOffset = robot == null ? 0 : builder.createString(robot);
        int angles = doubles(f.motorAngleRad);
        int velocities = doubles(f.motorVelocityRadPerS);
        int torques = doubles(f.motorTorqueNm);
        Frame.startFrame(builder);
        Frame.addSession(builder, session);
        Frame.addSeq(builder, seq);
        Frame.addStep(builder, step);
        Frame.addHeld(builder, held);
        Frame.addDamped(builder, damped);
        Frame.addControlPeriodNs(builder, controlPeriodNs);
        Frame.addProtocolVersion(builder, PROTOCOL_VERSION);
        if (robot != null) {
            Frame.addRobot(builder, robotOffset);
        }
        Frame.addTimestampNs(builder, f.timestampNs);
        Frame.addSequence(builder, f.sequence);
        Frame.addValidMask(builder, f.validMask);
        Frame.addMotorAngleRad(builder, angles);
        Frame.addMotorVelocityRadPerS(builder, velocities);
        Frame.addMotorTorqueNm(builder, torques);
        Frame.addRollRad(builder, f.rollRad);
        Frame.addPitchRad(builder, f.pitchRad);
        Frame.addYawRad(builder, f.yawRad);
        Frame.addRollRateRadPerS(builder, f.rollRateRadPerS);
        Frame.addPitchRateRadPerS(builder, f.pitchRateRadPerS);
        Frame.addYawRateRadPerS(builder, f.yawRateRadPerS);
        Frame.addAccelXMps2(builder, f.accelXMps2);
        Frame.addAccelYMps2(builder, f.accelYMps2);
        Frame.addAccelZMps2(builder, f.accelZMps2);
        Frame.addEstopPressed(builder, f.estopPressed);
        int body = Frame.endFrame(builder);
        return finish(Body.Frame, body);
    }

    /**
     * Checks and parses one received datagram (bytes {@code position..limit} of {@code datagram},
     * which must stay untouched while the accessors are used). Returns the body type
     * ({@link Body#Hello}, {@link Body#Command}, {@link Body#Frame}), {@link #BAD_CHECKSUM} or
     * {@link #MALFORMED}. Never throws.
     */
    public int decode(ByteBuffer datagram) {
        int start = datagram.position();
        int length = datagram.remaining();
        if (length < HEADER_BYTES + 8) {
            return MALFORMED;
        }
        datagram.order(ByteOrder.LITTLE_ENDIAN);
        int expected = datagram.getInt(start);
        crc.reset();
        int limit = datagram.limit();
        datagram.position(start + HEADER_BYTES);
        crc.update(datagram);
        datagram.limit(limit);
        datagram.position(start + HEADER_BYTES);
        if ((int) crc.getValue() != expected) {
            datagram.position(start);
            return BAD_CHECKSUM;
        }
        try {
            if (!Packet.PacketBufferHasIdentifier(datagram)) {
                return MALFORMED;
            }
            Packet.getRootAsPacket(datagram, packet);
            byte type = packet.bodyType();
            switch (type) {
                case Body.Hello:
                    return packet.body(hello) == null ? MALFORMED : type;
                case Body.Command:
                    return packet.body(command) == null ? MALFORMED : type;
                case Body.Frame:
                    return packet.body(frame) == null ? MALFORMED : type;
                default:
                    return MALFORMED;
            }
        } catch (RuntimeException badOffsets) {
            return MALFORMED;
        }
    }

    /** The hello of the last successful {@link #decode}. */
    public Hello hello() {
        return hello;
    }

    /** The command of the last successful {@link #decode}. */
    public Command command() {
        return command;
    }

    /** The frame of the last successful {@link #decode}. */
    public Frame frame() {
        return frame;
    }

    /**
     * Copies the last decoded command into {@code out}; false (and {@code out} untouched) when a
     * vector has the wrong length or the mode is unknown.
     */
    public boolean readCommand(MotorCommand out) {
        try {
            if (command.positionRadLength() != motorCount || command.kpLength() != motorCount
                    || command.kdLength() != motorCount || command.feedforwardTorqueNmLength() != motorCount) {
                return false;
            }
            MotorCommand.Mode mode = motorMode(command.mode());
            if (mode == null) {
                return false;
            }
            out.mode = mode;
            out.sequence = command.seq();
            out.customGains = command.customGains();
            for (int i = 0; i < motorCount; i++) {
                out.positionRad[i] = command.positionRad(i);
                out.kp[i] = command.kp(i);
                out.kd[i] = command.kd(i);
                out.feedforwardTorqueNm[i] = command.feedforwardTorqueNm(i);
            }
            return true;
        } catch (RuntimeException badOffsets) {
            return false;
        }
    }

    /**
     * Copies the sensor data of the last decoded frame into {@code out}; false (and {@code out}
     * untouched) when a vector has the wrong length.
     */
    public boolean readFrame(SensorFrame out) {
        try {
            if (frame.motorAngleRadLength() != motorCount || frame.motorVelocityRadPerSLength() != motorCount
                    || frame.motorTorqueNmLength() != motorCount) {
                return false;
            }
            out.timestampNs = frame.timestampNs();
            out.sequence = frame.sequence();
            out.validMask = frame.validMask();
            for (int i = 0; i < motorCount; i++) {
                out.motorAngleRad[i] = frame.motorAngleRad(i);
                out.motorVelocityRadPerS[i] = frame.motorVelocityRadPerS(i);
                out.motorTorqueNm[i] = frame.motorTorqueNm(i);
            }
            out.rollRad = frame.rollRad();
            out.pitchRad = frame.pitchRad();
            out.yawRad = frame.yawRad();
            out.rollRateRadPerS = frame.rollRateRadPerS();
            out.pitchRateRadPerS = frame.pitchRateRadPerS();
            out.yawRateRadPerS = frame.yawRateRadPerS();
            out.accelXMps2 = frame.accelXMps2();
            out.accelYMps2 = frame.accelYMps2();
            out.accelZMps2 = frame.accelZMps2();
            out.estopPressed = frame.estopPressed();
            return true;
        } catch (RuntimeException badOffsets) {
            return false;
        }
    }

    private int doubles(double[] values) {
        builder.startVector(8, motorCount, 8);
        for (int i = motorCount - 1; i >= 0; i--) {
            builder.addDouble(values[i]);
        }
        return builder.endVector();
    }

    private ByteBuffer finish(byte bodyType, int body) {
        Packet.startPacket(builder);
        Packet.addBodyType(builder, bodyType);
        Packet.addBody(builder, body);
        int root = Packet.endPacket(builder);
        Packet.finishPacketBuffer(builder, root);
        ByteBuffer data = builder.dataBuffer();
        out.clear();
        out.position(HEADER_BYTES);
        out.put(data);
        out.flip();
        out.position(HEADER_BYTES);
        crc.reset();
        crc.update(out);
        out.putInt(0, (int) crc.getValue());
        out.position(0);
        return out;
    }

    private static byte driveMode(MotorCommand.Mode mode) {
        switch (mode) {
            case POSITION:
                return DriveMode.Position;
            case DAMP:
                return DriveMode.Damp;
            default:
                return DriveMode.Off;
        }
    }

    private static MotorCommand.Mode motorMode(byte mode) {
        switch (mode) {
            case DriveMode.Position:
                return MotorCommand.Mode.POSITION;
            case DriveMode.Damp:
                return MotorCommand.Mode.DAMP;
            case DriveMode.Off:
                return MotorCommand.Mode.OFF;
            default:
                return null;
        }
    }
}
