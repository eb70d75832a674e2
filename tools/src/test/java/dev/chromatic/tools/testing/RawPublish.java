package dev.chromatic.tools.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Speaks MQTT 3.1.1 by hand to announce a QoS 0 PUBLISH of any size and stream zeros into it, so a
 * test can send what no client library would let it allocate: nothing of that size exists here.
 */
public final class RawPublish {

    /** How far the packet got: payload bytes written, and whether the broker closed the connection. */
    public record Outcome(long payloadWritten, boolean closedByBroker) {
    }

    private RawPublish() {
    }

    /**
     * Connects to {@code brokerUrl} (tcp://host:port, anonymous), announces a PUBLISH on
     * {@code topic} with {@code payloadBytes} of payload and writes zeros until done or cut off.
     * When the whole packet was written, waits up to 5 s for the broker to close the connection.
     */
    public static Outcome publish(String brokerUrl, String topic, long payloadBytes) throws IOException {
        int port = Integer.parseInt(brokerUrl.substring(brokerUrl.lastIndexOf(':') + 1));
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream connect = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(connect);
            d.writeShort(4);
            d.writeBytes("MQTT");
            d.writeByte(4);
            d.writeByte(0x02);
            d.writeShort(30);
            String id = "raw-" + System.nanoTime();
            d.writeShort(id.length());
            d.writeBytes(id);
            out.write(0x10);
            writeLength(out, connect.size());
            connect.writeTo(out);
            out.flush();
            byte[] connack = in.readNBytes(4);
            if (connack.length < 4 || (connack[0] & 0xFF) != 0x20 || connack[3] != 0) {
                throw new IOException("the broker did not accept the connection");
            }
            byte[] t = topic.getBytes(StandardCharsets.UTF_8);
            out.write(0x30);
            writeLength(out, 2 + t.length + payloadBytes);
            out.write(t.length >> 8);
            out.write(t.length & 0xFF);
            out.write(t);
            byte[] chunk = new byte[64 * 1024];
            long written = 0;
            try {
                while (written < payloadBytes) {
                    int n = (int) Math.min(chunk.length, payloadBytes - written);
                    out.write(chunk, 0, n);
                    written += n;
                }
                out.flush();
            } catch (IOException closedByBroker) {
                return new Outcome(written, true);
            }
            s.setSoTimeout(5000);
            try {
                return new Outcome(written, in.read() < 0);
            } catch (SocketTimeoutException stillOpen) {
                return new Outcome(written, false);
            } catch (IOException reset) {
                return new Outcome(written, true);
            }
        }
    }

    private static void writeLength(OutputStream out, long length) throws IOException {
        long x = length;
        do {
            int b = (int) (x % 128);
            x /= 128;
            out.write(x > 0 ? b | 0x80 : b);
        } while (x > 0);
    }
}
