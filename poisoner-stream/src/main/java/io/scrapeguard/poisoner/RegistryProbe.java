package io.scrapeguard.poisoner;

import io.scrapeguard.serde.SchemaRegistryClient;
import io.scrapeguard.serde.SchemaRegistryClient.Reachability;
import io.scrapeguard.service.HealthStatus;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Whether the schema registry answers, for the poisoner's readiness. The serdes cache every schema
 * id they met, so a running stream does not notice a dead registry until it meets a schema it has
 * not seen (a new producer's, a restart's): readiness asks the registry itself.
 *
 * <p>Asked on demand, not on a timer: a call finds the last answer if it is younger than {@link
 * #MAX_AGE} (readiness polled often costs one request a second at most), else starts one probe
 * (shared by concurrent callers) and waits for it at most {@link #TIMEOUT} plus a margin, so the
 * health HTTP thread is never held longer. The probe is the serdes' own client ({@link
 * SchemaRegistryClient#probe}): same URLs, credentials and TLS settings; what counts as unreachable
 * is documented there.
 */
final class RegistryProbe {
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final Duration MAX_AGE = Duration.ofSeconds(1);
    private static final long MARGIN_MS = 500;

    private final Function<Duration, CompletableFuture<Reachability>> probe;
    private final Duration timeout;
    private final Duration maxAge;
    private final LongSupplier nanoClock;
    private CompletableFuture<HealthStatus> current;
    private long askedAt;
    private long answeredAt;

    RegistryProbe(SchemaRegistryClient client) {
        this(client::probe, TIMEOUT, MAX_AGE, System::nanoTime);
    }

    RegistryProbe(
            Function<Duration, CompletableFuture<Reachability>> probe,
            Duration timeout,
            Duration maxAge,
            LongSupplier nanoClock) {
        this.probe = probe;
        this.timeout = timeout;
        this.maxAge = maxAge;
        this.nanoClock = nanoClock;
    }

    /** UP while the registry answers; DOWN with the URL (no credentials) and why while not. */
    HealthStatus status() {
        CompletableFuture<HealthStatus> answer;
        synchronized (this) {
            long now = nanoClock.getAsLong();
            boolean stale =
                    current == null
                            || (current.isDone()
                                    ? now - answeredAt >= maxAge.toNanos()
                                    // never answered (the client bounds it: belt and braces)
                                    : now - askedAt
                                            > 2 * (timeout.toNanos() + MARGIN_MS * 1_000_000));
            if (stale) {
                askedAt = now;
                current = ask();
            }
            answer = current;
        }
        try {
            return answer.get(timeout.toMillis() + MARGIN_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return HealthStatus.down(
                    "schema registry unreachable: no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthStatus.down("interrupted while asking the schema registry");
        } catch (ExecutionException e) {
            return HealthStatus.down(
                    "schema registry probe failed: " + e.getCause().getClass().getSimpleName());
        }
    }

    private CompletableFuture<HealthStatus> ask() {
        CompletableFuture<Reachability> asked;
        try {
            asked = probe.apply(timeout);
        } catch (RuntimeException e) {
            asked = CompletableFuture.failedFuture(e);
        }
        return asked.handle(
                (r, e) -> {
                    synchronized (this) {
                        answeredAt = nanoClock.getAsLong();
                    }
                    if (e != null) {
                        return HealthStatus.down(
                                "schema registry probe failed: " + e.getClass().getSimpleName());
                    }
                    return new HealthStatus(r.reachable(), r.reason());
                });
    }
}
