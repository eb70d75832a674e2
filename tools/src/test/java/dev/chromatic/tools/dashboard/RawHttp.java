package dev.chromatic.tools.dashboard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 by hand, so a test can send what a browser would not (a foreign Host, a forged Origin,
 * an oversized body) and read a server-sent-event stream as it comes.
 */
final class RawHttp {

    /** A finished answer: status, headers as one lower-cased text, body. */
    record Answer(int status, String headers, String body) {
        String header(String name) {
            for (String line : headers.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private RawHttp() {
    }

    /** Sends {@code head} (request line and headers, without the blank line) and {@code body}; reads the answer. */
    static Answer exchange(int port, String head, byte[] body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            String h = head + "\r\nConnection: close\r\n" + (body == null ? "" : "Content-Length: " + body.length + "\r\n") + "\r\n";
            out.write(h.getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                try {
                    out.write(body);
                } catch (IOException refusedEarly) {
                    // the server may answer and close before reading an oversized body
                }
            }
            out.flush();
            return read(s.getInputStream());
        }
    }

    static Answer get(int port, String path) throws IOException {
        return exchange(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port, null);
    }

    /** A POST as the page makes it: same-origin, with the page's token in its header. */
    static Answer post(int port, String path, String csrf) throws IOException {
        return exchange(port, "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nOrigin: http://127.0.0.1:" + port
                + "\r\nSec-Fetch-Site: same-origin\r\n" + DashboardServer.CSRF_HEADER + ": " + csrf, new byte[0]);
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while (!complete(all.toString(StandardCharsets.ISO_8859_1)) && (n = in.read(buf)) >= 0) {
                all.write(buf, 0, n);
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // what arrived is the answer
        }
        String text = all.toString(StandardCharsets.UTF_8);
        int split = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || split < 0) {
            return new Answer(-1, "", text);
        }
        int status = Integer.parseInt(text.substring(9, 12));
        String body = text.substring(split + 4);
        String headers = text.substring(0, split);
        if (headers.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
            body = unchunk(body);
        }
        return new Answer(status, headers, body);
    }

    /** Whether a non-chunked answer has all the bytes its Content-Length names (the server may keep reading). */
    private static boolean complete(String text) {
        int split = text.indexOf("\r\n\r\n");
        if (split < 0) {
            return false;
        }
        Matcher m = CONTENT_LENGTH.matcher(text.substring(0, split));
        return m.find() && text.length() - split - 4 >= Long.parseLong(m.group(1));
    }

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)");

    private static String unchunk(String body) {
        StringBuilder sb = new StringBuilder();
        int at = 0;
        while (at < body.length()) {
            int eol = body.indexOf("\r\n", at);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(body.substring(at, eol).trim(), 16);
            if (size == 0) {
                break;
            }
            sb.append(body, eol + 2, Math.min(body.length(), eol + 2 + size));
            at = eol + 2 + size + 2;
        }
        return sb.toString();
    }

    /** An open server-sent-event stream; {@link #readUntil} collects its text until a marker shows up. */
    static final class Stream implements AutoCloseable {
        private final Socket socket;
        private final StringBuilder seen = new StringBuilder();
        final int status;

        Stream(int port, String path) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(250);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            long end = System.nanoTime() + 10_000_000_000L;
            while (seen.indexOf("\r\n\r\n") < 0 && System.nanoTime() - end < 0) {
                pump();
            }
            status = seen.length() >= 12 ? Integer.parseInt(seen.substring(9, 12)) : -1;
        }

        private boolean pump() throws IOException {
            byte[] buf = new byte[8192];
            try {
                int n = socket.getInputStream().read(buf);
                if (n < 0) {
                    return false;
                }
                seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            } catch (SocketTimeoutException e) {
                // nothing yet
            }
            return true;
        }

        /** Everything read so far once it holds {@code marker}, or null after {@code timeoutMs}. */
        String readUntil(String marker, long timeoutMs) throws IOException {
            long end = System.nanoTime() + timeoutMs * 1_000_000L;
            while (seen.indexOf(marker) < 0) {
                if (System.nanoTime() - end >= 0 || !pump()) {
                    return seen.indexOf(marker) < 0 ? null : seen.toString();
                }
            }
            return seen.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
