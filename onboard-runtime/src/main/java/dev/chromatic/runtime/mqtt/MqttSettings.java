package dev.chromatic.runtime.mqtt;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to reach the broker, checked once at start.
 *
 * @param serverUri {@code tcp://host:port} or {@code ssl://host:port}
 * @param clientId MQTT client id (unique per broker)
 * @param username null for none
 * @param password null for none
 * @param trustStore JKS/PKCS12 trust store for {@code ssl://} (null: the JVM's default trust)
 * @param trustStorePassword null for none
 * @param keyStore PKCS12 key store with this robot's client certificate and private key, for brokers
 *                 that require client certificates ({@code ssl://} only; null: no client certificate)
 * @param keyStorePassword the key store's password, also the key's (null: empty)
 * @param keepAliveS MQTT keep-alive; a vanished robot's last will is sent after 1.5 times this
 * @param maxInflight QoS 1 messages in flight before publishes are refused
 * @param reconnectDelayMs wait between connection attempts
 */
public record MqttSettings(String serverUri, String clientId, String username, char[] password, Path trustStore,
                           char[] trustStorePassword, Path keyStore, char[] keyStorePassword, int keepAliveS,
                           int maxInflight, long reconnectDelayMs) {

    public MqttSettings {
        Objects.requireNonNull(serverUri, "serverUri");
        if (!serverUri.startsWith("tcp://") && !serverUri.startsWith("ssl://")) {
            throw new IllegalArgumentException("mqtt.url must start with tcp:// or ssl://, was " + serverUri);
        }
        if (clientId == null || clientId.isEmpty() || clientId.length() > 64) {
            throw new IllegalArgumentException("mqtt client id must be 1..64 characters");
        }
        if (keepAliveS < 1 || keepAliveS > 600) {
            throw new IllegalArgumentException("mqtt.keepalive_s must be in 1..600, was " + keepAliveS);
        }
        if (maxInflight < 1 || maxInflight > 65535) {
            throw new IllegalArgumentException("mqtt.max_inflight must be in 1..65535, was " + maxInflight);
        }
        if (reconnectDelayMs < 10 || reconnectDelayMs > 60_000) {
            throw new IllegalArgumentException("mqtt.reconnect_ms must be in 10..60000, was " + reconnectDelayMs);
        }
        if (keyStore != null && !serverUri.startsWith("ssl://")) {
            throw new IllegalArgumentException("mqtt.tls.keystore is only used with an ssl:// mqtt.url");
        }
    }

    /** Without a client certificate. */
    public MqttSettings(String serverUri, String clientId, String username, char[] password, Path trustStore,
                        char[] trustStorePassword, int keepAliveS, int maxInflight, long reconnectDelayMs) {
        this(serverUri, clientId, username, password, trustStore, trustStorePassword, null, null, keepAliveS,
                maxInflight, reconnectDelayMs);
    }

    /** Plain TCP without credentials, 5 s keep-alive, 1000 in flight, 500 ms between attempts. */
    public static MqttSettings plain(String serverUri, String clientId) {
        return new MqttSettings(serverUri, clientId, null, null, null, null, null, null, 5, 1000, 500);
    }

    public MqttSettings withCredentials(String user, char[] pass) {
        return new MqttSettings(serverUri, clientId, user, pass, trustStore, trustStorePassword, keyStore,
                keyStorePassword, keepAliveS, maxInflight, reconnectDelayMs);
    }

    public boolean tls() {
        return serverUri.startsWith("ssl://");
    }
}
