package io.scrapeguard.embedded;

import java.nio.file.Path;
import java.util.Map;

/**
 * A {@code SASL_SSL} listener beside the broker's plaintext one, as a secured production cluster
 * has: SCRAM-SHA-512 users (created when the storage is formatted), a TLS key store, and KRaft's
 * standard authorizer denying whatever no ACL allows. The plaintext, inter-broker and controller
 * listeners stay on 127.0.0.1 as the operator's door ({@code User:ANONYMOUS} is a super user
 * there), so tests can set ACLs up; services connect through this listener with their own users.
 *
 * @param port the listener's port on 127.0.0.1 (0: a free one)
 * @param keyStore PKCS12 store with the broker's key and certificate (SAN 127.0.0.1)
 * @param scramUsers user name to password
 */
public record SecureListener(
        int port, Path keyStore, String keyStorePassword, Map<String, String> scramUsers) {
    public static final String NAME = "SASL_SSL";
    public static final String MECHANISM = "SCRAM-SHA-512";

    public SecureListener {
        scramUsers = Map.copyOf(scramUsers);
    }

    /** The same listener on {@code newPort}. */
    SecureListener onPort(int newPort) {
        return new SecureListener(newPort, keyStore, keyStorePassword, scramUsers);
    }

    /** Broker settings of the listener and the authorizer. */
    Map<String, String> brokerConfig() {
        String prefix = "listener.name.sasl_ssl.";
        return Map.of(
                "sasl.enabled.mechanisms",
                MECHANISM,
                prefix + "scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                prefix + "ssl.keystore.location",
                keyStore.toAbsolutePath().toString(),
                prefix + "ssl.keystore.password",
                keyStorePassword,
                prefix + "ssl.keystore.type",
                "PKCS12",
                "authorizer.class.name",
                "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users",
                "User:ANONYMOUS",
                "allow.everyone.if.no.acl.found",
                "false");
    }

    /** {@code kafka-storage format} arguments that create the SCRAM users. */
    String[] formatArguments() {
        return scramUsers.entrySet().stream()
                .flatMap(
                        e ->
                                java.util.stream.Stream.of(
                                        "--add-scram",
                                        MECHANISM
                                                + "=[name="
                                                + e.getKey()
                                                + ",password="
                                                + e.getValue()
                                                + "]"))
                .toArray(String[]::new);
    }

    @Override
    public String toString() {
        return "SecureListener[port=" + port + ", users=" + scramUsers.keySet() + "]";
    }
}
