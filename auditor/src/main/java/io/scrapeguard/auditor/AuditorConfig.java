package io.scrapeguard.auditor;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The auditor service's settings, from {@code --set auditor.KEY=VALUE} options: {@code profile},
 * {@code interval} (e.g. 10m, 90s, PT1H; 0 = off), {@code every} (audit after this many new pairs;
 * 0 = off), {@code epochs}, {@code seeds}, {@code max-per-label}, {@code min-pairs}, {@code seed},
 * {@code defences}, {@code enabled}, {@code threshold.KEY}, {@code scrapers} (comma-separated
 * pipelines of the threat model), {@code canary-max-resolution}, {@code canary-flip} (true:
 * canaries train with horizontal flips, as most recipes do), {@code dilution} (comma-separated
 * protected shares), {@code pictures.deltas} (sample pictures in the report, off: they reveal the
 * perturbation).
 */
public record AuditorConfig(
        Auditor.Settings settings,
        Duration interval,
        long everyNewPairs,
        int maxPending,
        boolean enabled) {
    public static final String PREFIX = "auditor.";

    public static AuditorConfig from(Map<String, String> options) {
        String profileName = options.getOrDefault(PREFIX + "profile", "auto");
        AuditProfile p = AuditProfile.named(profileName);
        if (options.containsKey(PREFIX + "epochs")) {
            p = p.withEpochs(integer(options, "epochs"));
        }
        if (options.containsKey(PREFIX + "seeds")) {
            p = p.withSeeds(integer(options, "seeds"));
        }
        if (options.containsKey(PREFIX + "max-per-label")) {
            p = p.withMaxPairsPerLabel(integer(options, "max-per-label"));
        }
        if (options.containsKey(PREFIX + "canary-flip")) {
            p = p.withFlip(Boolean.parseBoolean(options.get(PREFIX + "canary-flip").trim()));
        }
        Auditor.Settings s = Auditor.Settings.of(p);
        if (options.containsKey(PREFIX + "seed")) {
            s = s.withSeed(Long.parseLong(options.get(PREFIX + "seed").trim()));
        }
        if (options.containsKey(PREFIX + "min-pairs")) {
            s = s.withMinimums(s.minPerLabel(), integer(options, "min-pairs"));
        }
        if (options.containsKey(PREFIX + "defences")) {
            s = s.withDefences(Boolean.parseBoolean(options.get(PREFIX + "defences")));
        }
        s =
                s.withSamplePictures(
                        Boolean.parseBoolean(
                                options.getOrDefault(PREFIX + "pictures.deltas", "false")));
        if (options.containsKey(PREFIX + "scrapers")) {
            s =
                    s.withScrapers(
                            java.util.Arrays.stream(options.get(PREFIX + "scrapers").split(","))
                                    .map(String::trim)
                                    .filter(x -> !x.isEmpty())
                                    .toList());
        }
        if (options.containsKey(PREFIX + "canary-max-resolution")) {
            s = s.withCanaryMaxResolution(integer(options, "canary-max-resolution"));
        }
        if (options.containsKey(PREFIX + "dilution")) {
            s =
                    s.withDilution(
                            java.util.Arrays.stream(options.get(PREFIX + "dilution").split(","))
                                    .map(String::trim)
                                    .map(Double::valueOf)
                                    .toList());
        }
        Thresholds t = s.thresholds();
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (e.getKey().startsWith(PREFIX + "threshold.")) {
                t =
                        t.with(
                                e.getKey().substring((PREFIX + "threshold.").length())
                                        + "="
                                        + e.getValue());
            }
        }
        s = s.withThresholds(t);
        Duration interval = duration(options.getOrDefault(PREFIX + "interval", "15m"));
        long every = options.containsKey(PREFIX + "every") ? integer(options, "every") : 0;
        boolean enabled = Boolean.parseBoolean(options.getOrDefault(PREFIX + "enabled", "true"));
        return new AuditorConfig(s, interval, every, 10_000, enabled);
    }

    private static int integer(Map<String, String> options, String key) {
        String v = options.get(PREFIX + key).trim();
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + key + ": not a whole number: " + v);
        }
    }

    /** "90s", "10m", "2h", "0", or ISO-8601 ("PT10M"). */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt") || t.startsWith("p")) {
                return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            }
            if (t.equals("0")) {
                return Duration.ZERO;
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    PREFIX + "interval: '" + text + "' is not a duration (e.g. 90s, 10m, 2h, 0)");
        }
    }
}
