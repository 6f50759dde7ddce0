package io.scrapeguard.auditor;

import io.scrapeguard.service.ClusterOptions;
import io.scrapeguard.service.Endpoints;
import io.scrapeguard.service.GuardHttpServer;
import io.scrapeguard.service.ServiceHost;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./guard auditor}: the auditor service on its own, against a running stack. */
@Command(
        name = "auditor",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the auditor service against a running stack (./guard up starts one itself):"
                    + " samples the raw and protected topics, audits every interval, after N"
                    + " new pairs or on demand, exports metrics, publishes reports on"
                    + " guard.audit-reports and serves the latest report at /audit/.",
            "Settings: --set auditor.interval=10m, auditor.every=N, auditor.profile=P,"
                    + " auditor.epochs=N, auditor.seeds=N, auditor.max-per-label=N,"
                    + " auditor.threshold.KEY=V."
        })
public final class AuditorCommand implements Callable<Integer> {
    @Mixin ClusterOptions cluster = new ClusterOptions();

    @Option(
            names = "--metrics-port",
            description = "port of /metrics, /health and /audit/ (default: ${DEFAULT-VALUE})")
    int metricsPort = 9465;

    @Option(
            names = "--metrics-host",
            description = "address to serve on (default: ${DEFAULT-VALUE})")
    String metricsHost = GuardHttpServer.DEFAULT_HOST;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "auditor settings (see above)")
    Map<String, String> options = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        AuditLogging.quiet();
        Endpoints e = cluster.resolve();
        Path dataDir = cluster.dataDirOrDefault();
        AuditorConfig config = AuditorConfig.from(options);
        AuditorService service =
                new AuditorService(
                        config,
                        BankClassifiers.load(
                                options.containsKey(AuditorConfig.PREFIX + "bank")
                                        ? Path.of(options.get(AuditorConfig.PREFIX + "bank"))
                                        : null));
        ServiceHost host =
                new ServiceHost(e, dataDir.toAbsolutePath(), metricsHost, metricsPort, options);
        Thread hook = new Thread(host::close, "guard-auditor-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            host.start(List.of(service));
        } catch (Exception ex) {
            Runtime.getRuntime().removeShutdownHook(hook);
            host.close();
            throw ex;
        }
        String base = host.http().baseUrl();
        System.out.println(
                "auditor ready: profile "
                        + config.settings().profile().name()
                        + ", report "
                        + base
                        + "/audit/ (run one: POST "
                        + base
                        + "/audit/run), metrics "
                        + host.http().metricsUrl());
        System.out.flush();
        host.awaitShutdown();
        return 0;
    }
}
