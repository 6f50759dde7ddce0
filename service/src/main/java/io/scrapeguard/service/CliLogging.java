package io.scrapeguard.service;

/**
 * Log levels for {@code ./guard} commands (the binding, scrapeguard-logging, reads these
 * slf4j-simple system properties when the first logger is made, so call this first). Warnings and
 * errors only, except two Kafka loggers that report, at WARN/ERROR, what the transactional producer
 * retries by itself on every transaction start with transactions v2 (CONCURRENT_TRANSACTIONS, then
 * OUT_OF_ORDER_SEQUENCE on the batches behind it). Anything set with {@code -D} (GUARD_JAVA_OPTS)
 * wins.
 */
public final class CliLogging {
    private CliLogging() {}

    public static void quiet() {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.io.scrapeguard", "info");
        setIfAbsent("org.slf4j.simpleLogger.log.kafka.server.ReplicaManager", "off");
        setIfAbsent(
                "org.slf4j.simpleLogger.log.org.apache.kafka.clients.producer.internals.Sender",
                "error");
        // start-up notices that need no action: a fresh KRaft log, no CUDA driver on a CPU
        // machine, Kafka Streams' advice about its (unused) global thread
        setIfAbsent(
                "org.slf4j.simpleLogger.log.org.apache.kafka.controller.QuorumController", "error");
        setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.kafka.streams.StreamsConfig", "error");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        // dated, with the zone: logs of services that run for days are read next to other logs
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
