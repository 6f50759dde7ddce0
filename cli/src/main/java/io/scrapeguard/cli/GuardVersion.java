package io.scrapeguard.cli;

import picocli.CommandLine.IVersionProvider;

/** Version from the jar manifest when packaged, else the development marker. */
public final class GuardVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Guard.class.getPackage().getImplementationVersion();
        return new String[] {
            "ScrapeGuard " + (v != null ? v : "development build"), "Java " + Runtime.version()
        };
    }
}
