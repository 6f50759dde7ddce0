package io.scrapeguard.auditor;

import io.scrapeguard.service.GuardService;
import io.scrapeguard.service.GuardServiceContext;
import io.scrapeguard.service.GuardServiceProvider;
import java.util.Optional;

/**
 * Adds the auditor to {@code ./guard up} (switch it off with {@code --set auditor.enabled=false}).
 */
public final class AuditorServiceProvider implements GuardServiceProvider {
    @Override
    public int order() {
        return 200;
    }

    @Override
    public Optional<GuardService> create(GuardServiceContext context) {
        AuditorConfig config = AuditorConfig.from(context.options());
        if (!config.enabled()) {
            return Optional.empty();
        }
        String bank = context.options().get(AuditorConfig.PREFIX + "bank");
        return Optional.of(
                new AuditorService(
                        config,
                        BankClassifiers.load(bank == null ? null : java.nio.file.Path.of(bank))));
    }
}
