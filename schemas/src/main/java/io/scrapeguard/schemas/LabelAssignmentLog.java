package io.scrapeguard.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Label to process assignment, agreed by every poisoner instance through one log.
 *
 * <p>The topic {@value #TOPIC} has one partition and is never compacted or expired. An instance
 * that meets a label it has not seen appends a claim (key = label) and reads the log up to its own
 * claim. The rule, applied by every reader to the same totally ordered log, is: <b>the n-th
 * distinct label in log order gets process n</b>; later claims of a label already in the log change
 * nothing. So two instances racing on new labels both write claims, both read the same order, and
 * agree; a label's process never changes (the log is append-only and the rule only looks at the
 * first claim); restarts replay the log. A claim is written outside the Streams transaction on
 * purpose: a claim whose image is later aborted and re-processed is harmless, the retry finds the
 * label already claimed. When the bank has fewer processes than {@code position + 1}, the label is
 * reported unassigned ({@link LabelAssignment#processIndex()} = -1): the poisoner dead-letters it
 * with reason {@code bank-exhausted}; a larger bank later gives it process {@code position}.
 *
 * <p>Each claim names the bank it was made with (its fingerprint and size). An instance refuses to
 * start on a log with claims of another bank, since every label would silently get another process;
 * claims of a bank this one grew from by appending processes are accepted (the processes they use
 * are unchanged).
 */
public final class LabelAssignmentLog implements AutoCloseable {
    public static final String TOPIC = "guard.label-assignments";
    private static final Logger LOG = LoggerFactory.getLogger(LabelAssignmentLog.class);

    private final String topic;
    private final TopicPartition partition;
    private final int bankSize;
    private final LabelBank bank;
    private final String instance;
    private final Map<String, Object> clientConfig;
    private final KafkaConsumer<String, String> consumer;
    private final Object lock = new Object();
    private final Map<String, Integer> positions = new LinkedHashMap<>();
    private final Map<String, Integer> claimBanks = new LinkedHashMap<>(); // fingerprint -> size
    private long unnamedClaims;
    private long consumedUpTo = 0; // next offset to read
    private volatile RuntimeException readerFailure;
    private volatile boolean closed;
    private KafkaProducer<String, String> producer; // created on the first claim
    private Thread reader;

    /**
     * @param clientConfig Kafka client settings (at least {@code bootstrap.servers}; security
     *     settings pass through)
     * @param instance who claims (written into the claim for people reading the log)
     */
    public LabelAssignmentLog(
            Map<String, Object> clientConfig, String topic, int bankSize, String instance) {
        this(clientConfig, topic, LabelBank.unnamed(bankSize), instance);
    }

    /** A log whose claims carry {@code bank}'s fingerprint and are checked against it. */
    public LabelAssignmentLog(
            Map<String, Object> clientConfig, String topic, LabelBank bank, String instance) {
        this.topic = topic;
        this.partition = new TopicPartition(topic, 0);
        this.bankSize = bank.size();
        this.bank = bank;
        this.instance = instance;
        this.clientConfig = Map.copyOf(clientConfig);
        Properties c = new Properties();
        c.putAll(clientConfig);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "guard-label-assignments-" + instance);
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
    }

    /** Creates the topic if needed (one partition, kept forever). */
    public static void createTopic(Map<String, Object> clientConfig, String topic) {
        Properties p = new Properties();
        p.putAll(clientConfig);
        p.keySet().retainAll(AdminClientConfig.configNames());
        try (Admin admin = Admin.create(p)) {
            NewTopic t =
                    new NewTopic(topic, Optional.of(1), Optional.empty())
                            .configs(
                                    Map.of(
                                            "cleanup.policy", "delete",
                                            "retention.ms", "-1",
                                            "retention.bytes", "-1"));
            admin.createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(
                        "cannot create topic " + topic + ": " + e.getCause().getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + topic, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "timed out creating topic " + topic + " (is Kafka reachable?)", e);
        }
    }

    /**
     * Refuses a log the assignment rule cannot trust: with more than one partition claims have no
     * single order, and compaction or expiry would drop first claims and shift every later label's
     * process. A topic created by someone else is checked, not repaired.
     */
    public static void verifyTopic(Map<String, Object> clientConfig, String topic) {
        Properties p = new Properties();
        p.putAll(clientConfig);
        p.keySet().retainAll(AdminClientConfig.configNames());
        try (Admin admin = Admin.create(p)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    checkTopic(admin, topic);
                    return;
                } catch (IllegalStateException e) {
                    // a topic created a moment ago may not be in every broker's metadata yet
                    boolean retriable =
                            e.getCause() instanceof ExecutionException x
                                    && x.getCause() instanceof RetriableException;
                    if (!retriable || System.nanoTime() > deadline) {
                        throw e;
                    }
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while checking " + topic, ie);
                }
            }
        }
    }

    private static void checkTopic(Admin admin, String topic) {
        try {
            int partitions =
                    admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get(30, TimeUnit.SECONDS)
                            .get(topic)
                            .partitions()
                            .size();
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config =
                    admin.describeConfigs(List.of(resource))
                            .all()
                            .get(30, TimeUnit.SECONDS)
                            .get(resource);
            List<String> problems = new java.util.ArrayList<>();
            if (partitions != 1) {
                problems.add(partitions + " partitions (needs 1)");
            }
            String cleanup = value(config, "cleanup.policy");
            if (cleanup.contains("compact")) {
                problems.add("cleanup.policy=" + cleanup + " (needs delete)");
            }
            for (String key : List.of("retention.ms", "retention.bytes")) {
                if (!value(config, key).equals("-1")) {
                    problems.add(key + "=" + value(config, key) + " (needs -1, kept forever)");
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalStateException(
                        "the label assignment log "
                                + topic
                                + " is not safe to assign labels from: "
                                + String.join(", ", problems)
                                + ". Fix the retention with kafka-configs --alter --entity-type"
                                + " topics --entity-name "
                                + topic
                                + " --add-config cleanup.policy=delete,retention.ms=-1,"
                                + "retention.bytes=-1; a topic with several partitions cannot be"
                                + " repaired: copy its claims in their order to a new one-partition"
                                + " topic (docs/operations.md, Labels and the process bank)");
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot check topic " + topic + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking " + topic, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "timed out checking topic " + topic + " (is Kafka reachable?)", e);
        }
    }

    private static String value(Config config, String key) {
        ConfigEntry e = config.get(key);
        return e == null || e.value() == null ? "" : e.value();
    }

    /** Creates the topic, starts reading it and returns once the existing log is read. */
    public LabelAssignmentLog start(Duration timeout) {
        createTopic(clientConfig, topic);
        verifyTopic(clientConfig, topic);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
        reader = new Thread(this::readLoop, "guard-label-assignments");
        reader.setDaemon(true);
        reader.start();
        awaitConsumed(end, timeout);
        checkClaimBanks(); // the caller closes the log when this throws
        return this;
    }

    /** Refuses a log whose claims were made with a bank other than this one (or its prefix). */
    private void checkClaimBanks() {
        if (bank.fingerprint() == null) {
            return;
        }
        synchronized (lock) {
            for (Map.Entry<String, Integer> claimed : claimBanks.entrySet()) {
                if (!bank.accepts(claimed.getKey(), claimed.getValue())) {
                    throw new IllegalStateException(otherBankMessage(claimed));
                }
                if (!claimed.getKey().equals(bank.fingerprint())) {
                    LOG.info(
                            "{} holds claims of bank {} ({} processes), the first processes of"
                                    + " this bank {} ({}): they keep their processes",
                            topic,
                            claimed.getKey(),
                            claimed.getValue(),
                            bank.fingerprint(),
                            bankSize);
                }
            }
            if (unnamedClaims > 0) {
                LOG.warn(
                        "{} holds {} claims without a bank fingerprint (written before claims"
                                + " carried one): they cannot be checked against bank {}",
                        topic,
                        unnamedClaims,
                        bank.fingerprint());
            }
        }
    }

    private String otherBankMessage(Map.Entry<String, Integer> claimed) {
        return "the label assignment log "
                + topic
                + " holds claims made with process bank "
                + claimed.getKey()
                + " ("
                + claimed.getValue()
                + " processes), but this instance runs bank "
                + bank.fingerprint()
                + " ("
                + bankSize
                + " processes): every label would get another process. Start with the bank"
                + " those claims were made with (--bank, GUARD_BANK_FILE), or give this bank a"
                + " new log with --label-assignments-topic NEW-TOPIC (its labels are claimed"
                + " again from process 0). A bank grown by appending processes to "
                + claimed.getKey()
                + " is accepted as is (docs/operations.md, Labels and the process bank)";
    }

    /** Notes which bank a claim was made with (claims of other tools or versions may have none). */
    private void noteClaimBank(String value) {
        String fingerprint = null;
        int size = 0;
        try {
            var node = value == null ? null : JSON.readTree(value);
            if (node != null && node.hasNonNull("bank")) {
                fingerprint = node.get("bank").asText();
                size = node.path("bankSize").asInt(0);
            }
        } catch (JsonProcessingException e) {
            // not JSON: counted as a claim without a bank
        }
        if (fingerprint == null) {
            unnamedClaims++;
        } else {
            claimBanks.merge(fingerprint, size, Math::max);
        }
    }

    private void readLoop() {
        try {
            while (!closed) {
                var records = consumer.poll(Duration.ofMillis(200));
                synchronized (lock) {
                    for (ConsumerRecord<String, String> r : records) {
                        if (r.key() != null && !positions.containsKey(r.key())) {
                            positions.put(r.key(), positions.size());
                        }
                        noteClaimBank(r.value());
                    }
                    consumedUpTo = consumer.position(partition);
                    lock.notifyAll();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            readerFailure = e;
            LOG.error("label assignment reader stopped: {}", e.toString());
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }

    private void awaitConsumed(long offset, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (consumedUpTo < offset) {
                if (readerFailure != null) {
                    throw new IllegalStateException(
                            "label assignment log unreadable: " + readerFailure.getMessage(),
                            readerFailure);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new LabelAssignmentTimeoutException(
                            "timed out reading " + topic + " up to offset " + offset);
                }
                try {
                    lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LabelAssignmentTimeoutException("interrupted reading " + topic);
                }
            }
        }
    }

    /** The label's assignment if it is already in the log (read so far). */
    public Optional<LabelAssignment> lookup(String label) {
        synchronized (lock) {
            Integer pos = positions.get(label);
            return pos == null ? Optional.empty() : Optional.of(toAssignment(label, pos));
        }
    }

    /**
     * The label's assignment, claiming it when it is new. Blocks (for new labels only) until the
     * claim is read back. Throws {@link LabelAssignmentTimeoutException} (retriable) when Kafka
     * does not answer in time.
     */
    public LabelAssignment assign(String label, Duration timeout) {
        Optional<LabelAssignment> known = lookup(label);
        if (known.isPresent()) {
            return known.get();
        }
        synchronized (lock) {
            // a full bank stays full: do not grow the log with labels that cannot be served now
            if (positions.size() >= bankSize) {
                return new LabelAssignment(label, -1, -1);
            }
        }
        long offset;
        try {
            offset =
                    producer()
                            .send(new ProducerRecord<>(topic, 0, label, claimValue()))
                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                            .offset();
        } catch (ExecutionException | TimeoutException e) {
            throw new LabelAssignmentTimeoutException(
                    "cannot claim a process for a new label: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabelAssignmentTimeoutException("interrupted claiming a label");
        }
        awaitConsumed(offset + 1, timeout);
        return lookup(label).orElseThrow(() -> new IllegalStateException("claim not read back"));
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private String claimValue() {
        var value = new LinkedHashMap<String, String>();
        value.put("claimedBy", instance);
        value.put("at", Instant.now().toString());
        if (bank.fingerprint() != null) {
            value.put("bank", bank.fingerprint());
            value.put("bankSize", Integer.toString(bankSize));
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a map of strings always serialises
        }
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.putAll(clientConfig);
            p.keySet().retainAll(ProducerConfig.configNames());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "guard-label-claims-" + instance);
            producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    private LabelAssignment toAssignment(String label, int pos) {
        return new LabelAssignment(label, pos, pos < bankSize ? pos : -1);
    }

    /** Labels with a process, in log order. */
    public Map<String, Integer> snapshot() {
        synchronized (lock) {
            Map<String, Integer> out = new HashMap<>();
            positions.forEach(
                    (label, pos) -> {
                        if (pos < bankSize) {
                            out.put(label, pos);
                        }
                    });
            return out;
        }
    }

    /** Processes in use. */
    public int assignedCount() {
        synchronized (lock) {
            return Math.min(positions.size(), bankSize);
        }
    }

    public int bankSize() {
        return bankSize;
    }

    public boolean healthy() {
        return readerFailure == null && !closed;
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        if (reader != null) {
            try {
                reader.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        consumer.close(Duration.ofSeconds(2));
        synchronized (this) {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
            }
        }
    }
}
