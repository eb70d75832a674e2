package dev.chromatic.hal.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.hal.remote.fb.Body;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class HilCodecTest {

    private static byte[] bytes(ByteBuffer datagram) {
        byte[] b = new byte[datagram.remaining()];
        datagram.get(b);
        return b;
    }

    @Test
    void commandSurvivesTheRoundTripBitForBit() {
        HilCodec codec = new HilCodec(8);
        MotorCommand cmd = new MotorCommand(8);
        cmd.mode = MotorCommand.Mode.DAMP;
        cmd.customGains = true;
        for (int i = 0; i < 8; i++) {
            cmd.positionRad[i] = Math.PI / (i + 1);
            cmd.kp[i] = i * 1.5;
            cmd.kd[i] = -0.0;
            cmd.feedforwardTorqueNm[i] = Double.MIN_VALUE * i;
        }
        byte[] datagram = bytes(codec.encodeCommand(99L, 1234L, cmd));
        HilCodec other = new HilCodec(8);
        assertEquals(Body.Command, other.decode(ByteBuffer.wrap(datagram)));
        assertEquals(99L, other.command().session());
        MotorCommand out = new MotorCommand(8);
        assertTrue(other.readCommand(out));
        assertEquals(1234L, out.sequence);
        assertEquals(MotorCommand.Mode.DAMP, out.mode);
        assertTrue(out.customGains);
        for (int i = 0; i < 8; i++) {
            assertEquals(Double.doubleToRawLongBits(cmd.positionRad[i]), Double.doubleToRawLongBits(out.positionRad[i]));
            assertEquals(Double.doubleToRawLongBits(cmd.kd[i]), Double.doubleToRawLongBits(out.kd[i]));
            assertEquals(cmd.feedforwardTorqueNm[i], out.feedforwardTorqueNm[i], 0.0);
        }
    }

    @Test
    void frameSurvivesTheRoundTripWithTheRobotNameOnlyWhenAsked() {
        HilCodec codec = new HilCodec(8);
        SensorFrame f = new SensorFrame(8);
        f.timestampNs = 77_000_000L;
        f.sequence = 5;
        f.validMask = SensorFrame.VALID_ATTITUDE | SensorFrame.VALID_RATES;
        f.motorAngleRad[3] = 1.25;
        f.rollRad = -0.125;
        f.accelZMps2 = 9.81;
        f.estopPressed = true;
        HilCodec reader = new HilCodec(8);
        assertEquals(Body.Frame, reader.decode(ByteBuffer.wrap(bytes(codec.encodeFrame(1, 2, 3, true, false, 10_000_000L, "minitaur", f)))));
        assertEquals("minitaur", reader.frame().robot());
        assertEquals(3L, reader.frame().step());
        assertTrue(reader.frame().held());
        SensorFrame out = new SensorFrame(8);
        assertTrue(reader.readFrame(out));
        assertEquals(77_000_000L, out.timestampNs);
        assertEquals(5, out.sequence);
        assertEquals(f.validMask, out.validMask);
        assertEquals(1.25, out.motorAngleRad[3], 0.0);
        assertEquals(-0.125, out.rollRad, 0.0);
        assertEquals(9.81, out.accelZMps2, 0.0);
        assertTrue(out.estopPressed);
        assertEquals(Body.Frame, reader.decode(ByteBuffer.wrap(bytes(codec.encodeFrame(1, 2, 4, false, false, 10_000_000L, null, f)))));
        assertEquals(null, reader.frame().robot());
    }

    @Test
    void everySingleBitFlipIsRejected() {
        HilCodec codec = new HilCodec(8);
        MotorCommand cmd = new MotorCommand(8);
        cmd.mode = MotorCommand.Mode.POSITION;
        cmd.positionRad[0] = 1.0;
        byte[] datagram = bytes(codec.encodeCommand(5L, 6L, cmd));
        HilCodec reader = new HilCodec(8);
        for (int bit = 0; bit < datagram.length * 8; bit++) {
            byte[] bad = datagram.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            int result = reader.decode(ByteBuffer.wrap(bad));
            assertTrue(result == HilCodec.BAD_CHECKSUM, "bit " + bit + " decoded as " + result);
        }
    }

    @Test
    void truncatedAndForeignDatagramsAreMalformed() {
        HilCodec reader = new HilCodec(8);
        assertEquals(HilCodec.MALFORMED, reader.decode(ByteBuffer.wrap(new byte[5])));
        byte[] junk = new byte[64];
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(junk, 4, 60);
        ByteBuffer.wrap(junk).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, (int) crc.getValue());
        assertEquals(HilCodec.MALFORMED, reader.decode(ByteBuffer.wrap(junk)));
    }

    @Test
    void frameWithAnotherMotorCountIsRefused() {
        HilCodec four = new HilCodec(4);
        byte[] datagram = bytes(four.encodeFrame(1, 1, 1, false, false, 1, null, new SensorFrame(4)));
        HilCodec eight = new HilCodec(8);
        assertEquals(Body.Frame, eight.decode(ByteBuffer.wrap(datagram)));
        SensorFrame out = new SensorFrame(8);
        out.rollRad = 0.5;
        assertFalse(eight.readFrame(out));
        assertEquals(0.5, out.rollRad, 0.0);
    }
}
