package io.scrapeguard.producer;

import io.scrapeguard.service.ServiceLauncher;

/** The producer image's entry: {@code guard publish ...} with the producer's libraries only. */
public final class ProducerMain {
    private ProducerMain() {}

    public static void main(String[] args) {
        System.exit(ServiceLauncher.run(new Object[] {new PublishCommand()}, args));
    }
}
