package io.scrapeguard.poisoner;

import io.scrapeguard.embedded.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A Kafka broker in a JVM of its own, so that a fault which makes Kafka halt the JVM (a failed log
 * dir: {@code Exit.halt}) takes only this process. Args: dataDir port controllerPort [key=value...]
 * (broker configs). Prints {@code broker ready <bootstrap>} once it serves, then waits to be
 * killed.
 */
public final class BrokerChild {
    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        int controllerPort = Integer.parseInt(args[2]);
        Map<String, String> overrides = new HashMap<>();
        // the same controller port at every start on this log dir
        overrides.put(
                "listeners",
                "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        overrides.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        for (int i = 3; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            overrides.put(kv[0], kv[1]);
        }
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, port, overrides);
        System.out.println("broker ready " + broker.bootstrapServers());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
