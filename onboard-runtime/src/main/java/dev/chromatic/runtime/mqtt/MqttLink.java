package dev.chromatic.runtime.mqtt;

import dev.chromatic.runtime.telemetry.Publisher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Enumeration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The robot's MQTT connection (Eclipse Paho mqttv3, async client). Connection attempts are made from
 * {@link #doWork(long)} at a fixed delay until one succeeds, and again whenever the connection is
 * lost; every connect re-subscribes every registered topic. A retained last will marks the robot
 * offline when it vanishes. {@link #publish} never blocks and never throws: it returns false when
 * disconnected or when Paho's in-flight window is full (counted). Handlers run on Paho's thread;
 * their exceptions are caught and counted. Retained messages are never handed to a handler: the
 * robot takes no input from the past (a retained {@code arm} would arm it at every start); they are
 * counted and passed to the subscription's retained listener, if any, to be reported. Because not
 * every broker marks a retained message as such when it hands it to a new subscription (the
 * embedded Moquette 0.17 does not), the link also clears the retained message of such a topic (an
 * empty retained publish) on every connect before it subscribes; a broker whose ACL denies the robot
 * writing there (the documented Mosquitto setup) flags retained messages correctly instead.
 * Received messages are acknowledged through an {@link AckGate}, so none is acknowledged after the
 * link's DISCONNECT.
 */
public final class MqttLink implements Publisher, AutoCloseable {

    private final MqttSettings settings;
    private final MqttAsyncClient client;
    private final AckGate acks;
    private final MqttConnectOptions options;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final AtomicLong publishFailures = new AtomicLong();
    private final AtomicLong handlerErrors = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong connectFailures = new AtomicLong();
    private final AtomicLong retainedIgnored = new AtomicLong();
    /** Subscriptions of the current connection not yet acknowledged; the link is ready at 0. */
    private final AtomicInteger pendingSubscriptions = new AtomicInteger(1);
    private volatile java.util.function.Consumer<Boolean> connectionListener = up -> { };
    private volatile boolean connecting;
    private volatile boolean closed;
    private volatile String lastError = "";
    private long nextAttemptNs;
    private boolean attempted;

    private record Subscription(int qos, MessageHandler handler, MessageHandler retained) {
    }

    /**
     * Prepares the client (nothing is sent until {@link #doWork}). Fails on a bad URI, trust store or key store.
     *
     * @param willTopic the retained last-will topic (the robot's {@code state})
     * @param willPayload the payload a broker publishes there when the robot vanishes
     */
    public MqttLink(MqttSettings settings, String willTopic, byte[] willPayload) throws IOException {
        this.settings = settings;
        try {
            this.client = new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException e) {
            throw new IOException("mqtt.url: cannot use " + settings.serverUri() + ": " + e.getMessage(), e);
        }
        acks = AckGate.of(client);
        options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setKeepAliveInterval(settings.keepAliveS());
        options.setMaxInflight(settings.maxInflight());
        options.setConnectionTimeout(5);
        options.setWill(willTopic, willPayload, 1, true);
        if (settings.username() != null) {
            options.setUserName(settings.username());
        }
        if (settings.password() != null) {
            options.setPassword(settings.password());
        }
        if (settings.tls()) {
            options.setSocketFactory(socketFactory(settings));
        }
        client.setCallback(new Callback());
    }

    /**
     * The TLS socket factory of an {@code ssl://} link: the broker is verified against
     * {@code mqtt.tls.truststore} (or the JVM's default trust), and with {@code mqtt.tls.keystore} the
     * robot shows its own certificate to a broker that requires one.
     */
    static SSLSocketFactory socketFactory(MqttSettings s) throws IOException {
        if (s.trustStore() == null && s.keyStore() == null) {
            return (SSLSocketFactory) SSLSocketFactory.getDefault();
        }
        TrustManagerFactory tmf = null;
        if (s.trustStore() != null) {
            try (InputStream in = Files.newInputStream(s.trustStore())) {
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(in, s.trustStorePassword());
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
            } catch (GeneralSecurityException | IOException e) {
                throw new IOException("mqtt.tls.truststore: cannot load " + s.trustStore() + ": " + e.getMessage(), e);
            }
        }
        KeyManagerFactory kmf = null;
        if (s.keyStore() != null) {
            char[] pw = s.keyStorePassword() == null ? new char[0] : s.keyStorePassword();
            try {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(loadKeyStore(s.keyStore(), pw), pw);
            } catch (GeneralSecurityException e) {
                throw new IOException("mqtt.tls.keystore: cannot use " + s.keyStore() + ": " + e.getMessage(), e);
            }
        }
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IOException("mqtt.tls: cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * Loads a PKCS12 client key store and checks that it holds a private key with its certificate.
     *
     * @throws TlsFileException naming {@code mqtt.tls.keystore} (unreadable, not PKCS12, no key) or
     *     {@code mqtt.tls.keystore_password} (wrong password)
     */
    public static KeyStore loadKeyStore(Path file, char[] password) throws TlsFileException {
        KeyStore ks;
        try (InputStream in = Files.newInputStream(file)) {
            ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new TlsFileException("mqtt.tls.keystore_password", "wrong password for " + file, e);
            }
            throw new TlsFileException("mqtt.tls.keystore", "cannot read " + file + " as PKCS12: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new TlsFileException("mqtt.tls.keystore", "cannot read " + file + " as PKCS12: " + e.getMessage(), e);
        }
        try {
            for (Enumeration<String> a = ks.aliases(); a.hasMoreElements(); ) {
                String alias = a.nextElement();
                if (ks.isKeyEntry(alias) && ks.getCertificate(alias) != null) {
                    ks.getKey(alias, password);
                    return ks;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new TlsFileException("mqtt.tls.keystore_password", "cannot open the private key in " + file + ": "
                    + e.getMessage(), e);
        }
        throw new TlsFileException("mqtt.tls.keystore", file + " holds no private key with a certificate", null);
    }

    /** A TLS file of robot.properties cannot be used; {@link #key()} names the setting. */
    public static final class TlsFileException extends IOException {
        private static final long serialVersionUID = 1L;
        private final String key;
        private final String problem;

        TlsFileException(String key, String problem, Throwable cause) {
            super(key + ": " + problem, cause);
            this.key = key;
            this.problem = problem;
        }

        public String key() {
            return key;
        }

        public String problem() {
            return problem;
        }
    }

    /**
     * Subscribes {@code topic} now (if connected) and after every reconnect. Handlers must not block
     * for long; call before or after start.
     */
    public void subscribe(String topic, int qos, MessageHandler handler) {
        subscribe(topic, qos, handler, null);
    }

    /** As above; retained messages on {@code topic} go to {@code retained} (may be null) instead of the handler. */
    public void subscribe(String topic, int qos, MessageHandler handler, MessageHandler retained) {
        subscriptions.put(topic, new Subscription(qos, handler, retained));
        if (client.isConnected()) {
            pendingSubscriptions.incrementAndGet();
            subscribeOne(topic, qos);
        }
    }

    /** Clears the topic's retained message and subscribes once the broker acknowledged the clearing. */
    private void clearThenSubscribe(String topic, int qos) {
        try {
            client.publish(topic, new byte[0], 1, true, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    subscribeOne(topic, qos);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    subscribeOne(topic, qos);
                }
            });
        } catch (MqttException | RuntimeException e) {
            lastError = "clear retained " + topic + ": " + e.getMessage();
            subscribeOne(topic, qos);
        }
    }

    private void subscribeOne(String topic, int qos) {
        try {
            client.subscribe(topic, qos, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    pendingSubscriptions.decrementAndGet();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    lastError = "subscribe " + topic + ": " + (e == null ? "refused" : e.getMessage());
                    pendingSubscriptions.decrementAndGet();
                }
            });
        } catch (MqttException | RuntimeException e) {
            lastError = "subscribe " + topic + ": " + e.getMessage();
            pendingSubscriptions.decrementAndGet();
        }
    }

    /** Starts a connection attempt when disconnected and the retry delay has passed. */
    @Override
    public int doWork(long nowNs) {
        if (closed || connecting || client.isConnected()) {
            return 0;
        }
        if (attempted && nowNs - nextAttemptNs < 0) {
            return 0;
        }
        attempted = true;
        nextAttemptNs = nowNs + settings.reconnectDelayMs() * 1_000_000L;
        connecting = true;
        try {
            client.connect(options, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    connecting = false;
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    lastError = e == null ? "connect failed" : describe(e);
                    connectFailures.incrementAndGet();
                    connecting = false;
                }
            });
        } catch (MqttException | RuntimeException e) {
            lastError = describe(e);
            connectFailures.incrementAndGet();
            connecting = false;
        }
        return 1;
    }

    /**
     * A failure with its causes, e.g. "MqttException: Connection lost / SSLHandshakeException: PKIX path
     * building failed": Paho's own message rarely says that TLS was the problem.
     */
    static String describe(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null && b.length() < 400; t = t.getCause() == t ? null : t.getCause()) {
            if (b.length() > 0) {
                b.append(" / ");
            }
            b.append(t.getClass().getSimpleName());
            if (t.getMessage() != null && !t.getMessage().isEmpty()) {
                b.append(": ").append(t.getMessage());
            }
        }
        return b.toString();
    }

    @Override
    public boolean publish(String topic, byte[] payload, int qos, boolean retained) {
        if (closed || !client.isConnected()) {
            return false;
        }
        try {
            client.publish(topic, payload, qos, retained);
            return true;
        } catch (MqttException | RuntimeException e) {
            publishFailures.incrementAndGet();
            return false;
        }
    }

    /**
     * Connected and every subscription of this connection acknowledged by the broker: only then does
     * the robot say it is online, so a message sent to it after it says so is never lost to a
     * subscription still on its way.
     */
    @Override
    public boolean isConnected() {
        return !closed && client.isConnected() && pendingSubscriptions.get() <= 0;
    }

    /** Called with true on every connect and false on every lost connection (Paho's thread). */
    public void setConnectionListener(java.util.function.Consumer<Boolean> listener) {
        this.connectionListener = listener == null ? up -> { } : listener;
    }

    /** Retained messages dropped unread. */
    public long retainedIgnored() {
        return retainedIgnored.get();
    }

    /** Successful connections so far (the first one included). */
    public long connects() {
        return connects.get();
    }

    public long connectFailures() {
        return connectFailures.get();
    }

    /** Publishes refused by Paho (in-flight window full, connection dropping). */
    public long publishFailures() {
        return publishFailures.get();
    }

    public long handlerErrors() {
        return handlerErrors.get();
    }

    /** The last connection or subscription problem, for status output. */
    public String lastError() {
        return lastError;
    }

    /** Disconnects (waiting at most 1 s for in-flight messages) and releases the client. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        acks.close();
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(500, 500);
            }
        } catch (MqttException ignored) {
            // closing anyway
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // already closed
        }
    }

    /**
     * Drops the connection without an MQTT DISCONNECT, as a crash or a lost network would: the broker
     * then publishes the last will (state offline). For a hard stop; the link stays closed.
     */
    public void abort() {
        if (closed) {
            return;
        }
        closed = true;
        acks.close();
        try {
            client.disconnectForcibly(0, 500, false);
        } catch (MqttException ignored) {
            // the socket is gone either way
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // already closed
        }
    }

    private final class Callback implements MqttCallbackExtended {

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            connects.incrementAndGet();
            pendingSubscriptions.set(subscriptions.size());
            connectionListener.accept(Boolean.TRUE);
            for (Map.Entry<String, Subscription> e : subscriptions.entrySet()) {
                if (e.getValue().retained() != null) {
                    clearThenSubscribe(e.getKey(), e.getValue().qos());
                } else {
                    subscribeOne(e.getKey(), e.getValue().qos());
                }
            }
        }

        @Override
        public void connectionLost(Throwable cause) {
            lastError = cause == null ? "connection lost" : "connection lost: " + cause.getMessage();
            connectionListener.accept(Boolean.FALSE);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            if (!acks.admit(message)) {
                return;
            }
            Subscription s = subscriptions.get(topic);
            if (s == null) {
                return;
            }
            try {
                if (message.getPayload().length == 0) {
                    return;
                }
                if (message.isRetained()) {
                    retainedIgnored.incrementAndGet();
                    if (s.retained() != null) {
                        s.retained().onMessage(topic, message.getPayload());
                    }
                    return;
                }
                s.handler().onMessage(topic, message.getPayload());
            } catch (Throwable t) {
                handlerErrors.incrementAndGet();
            }
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }
    }
}
