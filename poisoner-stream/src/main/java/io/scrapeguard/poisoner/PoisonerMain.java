package io.scrapeguard.poisoner;

import io.scrapeguard.service.ServiceLauncher;

/** The poisoner image's entry: {@code guard poisoner ...} with the poisoner's libraries only. */
public final class PoisonerMain {
    private PoisonerMain() {}

    public static void main(String[] args) {
        System.exit(ServiceLauncher.run(new Object[] {new PoisonerCommand()}, args));
    }
}
