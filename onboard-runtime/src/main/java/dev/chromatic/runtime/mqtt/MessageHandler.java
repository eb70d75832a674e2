package dev.chromatic.runtime.mqtt;

/** Receives the messages of one subscription on the MQTT client's thread; exceptions are caught and counted. */
@FunctionalInterface
public interface MessageHandler {

    void onMessage(String topic, byte[] payload);
}
