package io.scrapeguard.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scrapeguard.schemas.LabelAssignmentLog;
import io.scrapeguard.schemas.LabelBank;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The label assignment log against the real embedded broker. */
class LabelAssignmentLogTest {
    @RegisterExtension static final EmbeddedStackExtension STACK = new EmbeddedStackExtension();
    private static final Duration T = Duration.ofSeconds(30);

    private static Map<String, Object> client(EmbeddedStack s) {
        return Map.of("bootstrap.servers", s.bootstrapServers());
    }

    @Test
    void twoInstancesRacingOnNewLabelsAgreeOnDistinctProcesses() throws Exception {
        String topic = "guard.label-assignments.race";
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            labels.add("artist-" + i);
        }
        try (LabelAssignmentLog a = new LabelAssignmentLog(client(STACK.stack()), topic, 100, "a");
                LabelAssignmentLog b =
                        new LabelAssignmentLog(client(STACK.stack()), topic, 100, "b")) {
            a.start(T);
            b.start(T);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            CountDownLatch go = new CountDownLatch(1);
            Map<String, Integer> seen = new ConcurrentHashMap<>();
            List<Future<Boolean>> agree = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                LabelAssignmentLog log = t % 2 == 0 ? a : b;
                List<String> order = new ArrayList<>(labels);
                Collections.shuffle(order, new Random(t));
                agree.add(
                        pool.submit(
                                () -> {
                                    go.await();
                                    boolean same = true;
                                    for (String label : order) {
                                        int k = log.assign(label, T).processIndex();
                                        Integer before = seen.putIfAbsent(label, k);
                                        same &= before == null || before == k;
                                    }
                                    return same;
                                }));
            }
            go.countDown();
            for (Future<Boolean> f : agree) {
                assertThat(f.get(60, TimeUnit.SECONDS))
                        .as("every thread saw the same process")
                        .isTrue();
            }
            pool.shutdown();
            assertThat(new HashSet<>(seen.values())).as("distinct processes").hasSize(30);
            assertThat(seen.values()).allSatisfy(k -> assertThat(k).isBetween(0, 29));
            assertThat(a.snapshot()).isEqualTo(b.snapshot()).isEqualTo(seen);
        }
        // a restart replays the log: nothing changes
        try (LabelAssignmentLog c =
                new LabelAssignmentLog(client(STACK.stack()), topic, 100, "c")) {
            c.start(T);
            assertThat(c.assignedCount()).isEqualTo(30);
            try (LabelAssignmentLog a2 =
                    new LabelAssignmentLog(client(STACK.stack()), topic, 100, "a2")) {
                a2.start(T);
                assertThat(c.snapshot()).isEqualTo(a2.snapshot());
            }
        }
    }

    @Test
    void aFullBankRefusesNewLabelsAndKeepsOldOnes() {
        String topic = "guard.label-assignments.full";
        try (LabelAssignmentLog log =
                new LabelAssignmentLog(client(STACK.stack()), topic, 2, "x")) {
            log.start(T);
            assertThat(log.assign("a", T).processIndex()).isEqualTo(0);
            assertThat(log.assign("b", T).processIndex()).isEqualTo(1);
            assertThat(log.assign("c", T).assigned()).isFalse();
            assertThat(log.assign("a", T).processIndex()).isEqualTo(0);
            assertThat(log.assignedCount()).isEqualTo(2);
        }
        // a larger bank later serves the next labels; old ones keep their processes
        try (LabelAssignmentLog log =
                new LabelAssignmentLog(client(STACK.stack()), topic, 3, "y")) {
            log.start(T);
            assertThat(log.assign("b", T).processIndex()).isEqualTo(1);
            assertThat(log.assign("c", T).processIndex()).isEqualTo(2);
        }
    }

    @Test
    void aLogThatIsCompactedExpiresOrHasSeveralPartitionsIsRefusedAtStart() throws Exception {
        String split = "guard.label-assignments.split";
        String compacted = "guard.label-assignments.compacted";
        STACK.stack()
                .createTopics(
                        List.of(
                                new org.apache.kafka.clients.admin.NewTopic(split, 3, (short) 1),
                                new org.apache.kafka.clients.admin.NewTopic(compacted, 1, (short) 1)
                                        .configs(
                                                Map.of(
                                                        "cleanup.policy", "compact",
                                                        "retention.ms", "604800000"))));
        String ok = "guard.label-assignments.checked";

        for (String topic : List.of(split, compacted)) {
            try (LabelAssignmentLog log =
                    new LabelAssignmentLog(client(STACK.stack()), topic, 10, "x")) {
                assertThatThrownBy(() -> log.start(T))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining(topic)
                        .hasMessageContaining("kafka-configs");
            }
        }
        assertThatThrownBy(() -> LabelAssignmentLog.verifyTopic(client(STACK.stack()), split))
                .hasMessageContaining("3 partitions (needs 1)");
        assertThatThrownBy(() -> LabelAssignmentLog.verifyTopic(client(STACK.stack()), compacted))
                .hasMessageContaining("cleanup.policy=compact")
                .hasMessageContaining("retention.ms=604800000");
        try (LabelAssignmentLog log = new LabelAssignmentLog(client(STACK.stack()), ok, 10, "x")) {
            assertThat(log.start(T).assign("cats", T).processIndex()).isEqualTo(0);
        }
    }

    /** Bank "A" of three processes grown to four by appending: its first three are still "A". */
    private static final LabelBank BANK_A = new LabelBank("fp-a", 3, n -> null);

    private static final LabelBank BANK_A_GROWN =
            new LabelBank("fp-a4", 4, n -> n == 3 ? "fp-a" : "fp-other");
    private static final LabelBank BANK_B = new LabelBank("fp-b", 3, n -> "fp-b-prefix");

    @Test
    void claimsCarryTheBankAndAnotherBankIsRefusedAtStartNamingBoth() throws Exception {
        String topic = "guard.label-assignments.banks";
        try (LabelAssignmentLog a =
                new LabelAssignmentLog(client(STACK.stack()), topic, BANK_A, "a")) {
            a.start(T);
            assertThat(a.assign("cats", T).processIndex()).isEqualTo(0);
            assertThat(a.assign("dogs", T).processIndex()).isEqualTo(1);
        }
        var claims =
                StackClients.consume(
                        STACK.stack(),
                        topic,
                        new org.apache.kafka.common.serialization.StringDeserializer(),
                        new org.apache.kafka.common.serialization.StringDeserializer(),
                        2,
                        T);
        assertThat(claims)
                .hasSize(2)
                .allSatisfy(
                        c ->
                                assertThat(c.value())
                                        .contains("\"bank\":\"fp-a\"", "\"bankSize\":\"3\""));

        try (LabelAssignmentLog b =
                new LabelAssignmentLog(client(STACK.stack()), topic, BANK_B, "b")) {
            assertThatThrownBy(() -> b.start(T))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(topic)
                    .hasMessageContaining("fp-a (3 processes)")
                    .hasMessageContaining("fp-b (3 processes)")
                    .hasMessageContaining("--label-assignments-topic");
        }
        // a bank grown by appending keeps the labels' processes and serves the next label
        try (LabelAssignmentLog grown =
                new LabelAssignmentLog(client(STACK.stack()), topic, BANK_A_GROWN, "g")) {
            grown.start(T);
            assertThat(grown.assign("dogs", T).processIndex()).isEqualTo(1);
            assertThat(grown.assign("birds", T).processIndex()).isEqualTo(2);
            assertThat(grown.assign("fish", T).processIndex()).isEqualTo(3);
        }
        // the old bank cannot vouch for the grown bank's claims: it refuses too
        try (LabelAssignmentLog old =
                new LabelAssignmentLog(client(STACK.stack()), topic, BANK_A, "o")) {
            assertThatThrownBy(() -> old.start(T)).hasMessageContaining("fp-a4 (4 processes)");
        }
    }

    @Test
    void claimsWithoutABankFromBeforeAreAcceptedAndLaterClaimsCarryOne() {
        String topic = "guard.label-assignments.unnamed";
        try (LabelAssignmentLog old =
                new LabelAssignmentLog(client(STACK.stack()), topic, 3, "old")) {
            old.start(T);
            old.assign("cats", T);
        }
        try (LabelAssignmentLog a =
                new LabelAssignmentLog(client(STACK.stack()), topic, BANK_A, "a")) {
            a.start(T);
            assertThat(a.assign("cats", T).processIndex()).isEqualTo(0);
            assertThat(a.assign("dogs", T).processIndex()).isEqualTo(1);
        }
        try (LabelAssignmentLog b =
                new LabelAssignmentLog(client(STACK.stack()), topic, BANK_B, "b")) {
            assertThatThrownBy(() -> b.start(T)).hasMessageContaining("fp-a (3 processes)");
        }
    }
}
