package io.scrapeguard.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.scrapeguard.schemas.AuditReport;
import io.scrapeguard.schemas.DeadLetterHeaders;
import io.scrapeguard.schemas.ProtectedImage;
import io.scrapeguard.schemas.RawImage;
import io.scrapeguard.schemas.Topics;
import io.scrapeguard.serde.AvroDeserializer;
import io.scrapeguard.serde.AvroSerde;
import io.scrapeguard.serde.AvroSerializer;
import io.scrapeguard.serde.IncompatibleSchemaException;
import io.scrapeguard.serde.InvalidPayloadException;
import io.scrapeguard.serde.RegistryUnavailableException;
import io.scrapeguard.serde.SchemaRegistryClient;
import io.scrapeguard.serde.SerdeConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Avro serde against the real embedded broker and Apicurio Registry: round trips of every
 * schema, evolution under BACKWARD compatibility, an independent reader, and bad payloads.
 */
class AvroSerdeRegistryTest {
    @RegisterExtension static final EmbeddedStackExtension STACK = new EmbeddedStackExtension();

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static Topics topics;
    private static SchemaRegistryClient client;

    @BeforeAll
    static void topics() {
        EmbeddedStack stack = STACK.stack();
        stack.createTopics(Topics.names(), 1);
        topics = Topics.forRegistry(stack.registryUrl());
        client = new SchemaRegistryClient(stack.registryUrl());
    }

    @AfterAll
    static void close() {
        topics.close();
        client.close();
    }

    @Test
    void everySchemaRoundTripsSpecificThroughBrokerAndRegistry() {
        assertSpecificRoundTrip(topics.rawImages(), SampleRecords::rawImage, RawImage::getImageId);
        assertSpecificRoundTrip(
                topics.protectedImages(),
                SampleRecords::protectedImage,
                ProtectedImage::getImageId);
        assertSpecificRoundTrip(
                topics.auditReports(), SampleRecords::auditReport, AuditReport::getProfile);
        // registered under the topic-name strategy's subjects
        assertThat(client.subjects())
                .contains(
                        Topics.RAW_IMAGES + "-value",
                        Topics.PROTECTED_IMAGES + "-value",
                        Topics.AUDIT_REPORTS + "-value");
    }

    private <T extends SpecificRecord> void assertSpecificRoundTrip(
            Topics.Topic<String, T> topic,
            IntFunction<T> sample,
            java.util.function.Function<T, String> key) {
        List<T> sent = List.of(sample.apply(1), sample.apply(2), sample.apply(3));
        List<ProducerRecord<String, T>> records = new ArrayList<>();
        for (T value : sent) {
            records.add(new ProducerRecord<>(topic.name(), key.apply(value), value));
        }
        StackClients.produce(
                STACK.stack(),
                topic.keySerde().serializer(),
                topic.valueSerde().serializer(),
                records);
        List<ConsumerRecord<String, T>> got =
                StackClients.consume(
                        STACK.stack(),
                        topic.name(),
                        topic.keySerde().deserializer(),
                        topic.valueSerde().deserializer(),
                        3,
                        WAIT);
        assertThat(got).extracting(ConsumerRecord::value).containsExactlyElementsOf(sent);
        assertThat(got)
                .extracting(ConsumerRecord::key)
                .containsExactlyElementsOf(sent.stream().map(key).toList());
    }

    @Test
    void aLargeImageTravelsThroughTheAvroSerdeAndTheTopicLimits() {
        EmbeddedStack stack = STACK.stack();
        String topic = "large-images";
        stack.createTopics(List.of(topic), 1); // with Topics.topicConfig(): 20 MiB records
        byte[] pixels = SampleRecords.bytes(99, 16 * 1024 * 1024);
        RawImage large =
                RawImage.newBuilder(SampleRecords.rawImage(99))
                        .setWidth(4096)
                        .setHeight(4096)
                        .setImage(ByteBuffer.wrap(pixels))
                        .build();
        Topics.Topic<String, RawImage> raw = topics.rawImages();
        StackClients.produce(
                stack,
                raw.keySerde().serializer(),
                raw.valueSerde().serializer(),
                List.of(new ProducerRecord<>(topic, large.getImageId(), large)));
        List<ConsumerRecord<String, RawImage>> got =
                StackClients.consume(
                        stack,
                        topic,
                        raw.keySerde().deserializer(),
                        raw.valueSerde().deserializer(),
                        1,
                        WAIT);
        assertThat(got)
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.value().getWidth()).isEqualTo(4096);
                            assertThat(bytes(r.value().getImage())).isEqualTo(pixels);
                        });
    }

    @Test
    void everySchemaRoundTripsGenericAndCrossesWithSpecific() {
        List<SpecificRecord> samples =
                List.of(
                        SampleRecords.rawImage(7),
                        SampleRecords.protectedImage(7),
                        SampleRecords.auditReport(7));
        Map<String, Object> config =
                Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, STACK.stack().registryUrl());
        for (SpecificRecord specific : samples) {
            String topic = "generic-" + specific.getSchema().getName();
            GenericRecord generic = SampleRecords.toGeneric(specific);
            // one serializer, both kinds of record: the same record (map order may differ)
            AvroSerializer<Object> both = new AvroSerializer<>(client);
            AvroDeserializer<GenericRecord> reader = new AvroDeserializer<>(client);
            assertThat(reader.deserialize(topic, both.serialize(topic, generic)))
                    .isEqualTo(reader.deserialize(topic, both.serialize(topic, specific)))
                    .isEqualTo(generic);
            try (AvroSerde<GenericRecord> serde = AvroSerde.generic(client, config)) {
                StackClients.produce(
                        STACK.stack(),
                        new StringSerializer(),
                        serde.serializer(),
                        List.of(new ProducerRecord<>(topic, "k", generic)));
                // generic in, generic out
                List<ConsumerRecord<String, GenericRecord>> asGeneric =
                        StackClients.consume(
                                STACK.stack(),
                                topic,
                                new StringDeserializer(),
                                serde.deserializer(),
                                1,
                                WAIT);
                assertThat(asGeneric)
                        .singleElement()
                        .extracting(ConsumerRecord::value)
                        .isEqualTo(generic);
            }
            // generic in, specific out: the same record as the generated class
            AvroDeserializer<SpecificRecord> specificReader =
                    new AvroDeserializer<>(client, specific.getClass());
            List<ConsumerRecord<String, SpecificRecord>> asSpecific =
                    StackClients.consume(
                            STACK.stack(),
                            topic,
                            new StringDeserializer(),
                            specificReader,
                            1,
                            WAIT);
            assertThat(asSpecific)
                    .singleElement()
                    .extracting(ConsumerRecord::value)
                    .isEqualTo(specific);
            // specific.avro.reader=true finds the generated class from the writer schema's name
            Map<String, Object> specificConfig = new HashMap<>(config);
            specificConfig.put(SerdeConfig.SPECIFIC_AVRO_READER, "true");
            AvroDeserializer<Object> byName = new AvroDeserializer<>();
            byName.configure(specificConfig, false);
            try {
                assertThat(
                                StackClients.consume(
                                        STACK.stack(),
                                        topic,
                                        new StringDeserializer(),
                                        byName,
                                        1,
                                        WAIT))
                        .singleElement()
                        .extracting(ConsumerRecord::value)
                        .isEqualTo(specific);
            } finally {
                byName.close();
            }
        }
    }

    @Test
    void aNewOptionalFieldIsAcceptedAndOldReadersStillRead() {
        String topic = "evolution-ok";
        String subject = topic + "-value";
        EmbeddedStack stack = STACK.stack();
        AvroSerializer<Object> serializer = new AvroSerializer<>(client);
        StackClients.produce(
                stack,
                new StringSerializer(),
                serializer,
                List.of(new ProducerRecord<>(topic, "img-1", SampleRecords.rawImage(1))));
        client.setCompatibility(subject, "BACKWARD");
        assertThat(client.compatibility(subject)).isEqualTo("BACKWARD");

        Schema v2 =
                withField(
                        RawImage.getClassSchema(),
                        new Schema.Field(
                                "license",
                                Schema.createUnion(
                                        Schema.create(Schema.Type.NULL),
                                        Schema.create(Schema.Type.STRING)),
                                "Licence of the image",
                                Schema.Field.NULL_DEFAULT_VALUE));
        assertThat(client.isCompatible(subject, v2)).isTrue();
        GenericRecord newer = copyInto(SampleRecords.toGeneric(SampleRecords.rawImage(2)), v2);
        newer.put("license", "CC-BY-4.0");
        StackClients.produce(
                stack,
                new StringSerializer(),
                serializer,
                List.of(new ProducerRecord<>(topic, "img-2", newer)));
        assertThat(client.versions(subject)).hasSize(2);

        // old reader (the generated v1 class) reads both versions
        List<ConsumerRecord<String, RawImage>> old =
                StackClients.consume(
                        stack,
                        topic,
                        new StringDeserializer(),
                        new AvroDeserializer<RawImage>(client, RawImage.class),
                        2,
                        WAIT);
        assertThat(old)
                .extracting(ConsumerRecord::value)
                .containsExactly(SampleRecords.rawImage(1), SampleRecords.rawImage(2));
        // new reader sees the default for the old record
        List<ConsumerRecord<String, GenericRecord>> fresh =
                StackClients.consume(
                        stack,
                        topic,
                        new StringDeserializer(),
                        new AvroDeserializer<GenericRecord>(client, v2),
                        2,
                        WAIT);
        assertThat(fresh)
                .extracting(r -> String.valueOf(r.value().get("license")))
                .containsExactly("null", "CC-BY-4.0");
    }

    @Test
    void anIncompatibleChangeIsRefusedUnderBackwardAndTheErrorSaysSo() {
        String topic = "evolution-refused";
        String subject = topic + "-value";
        AvroSerializer<Object> serializer = new AvroSerializer<>(client);
        serializer.serialize(topic, SampleRecords.rawImage(1));
        client.setCompatibility(subject, "BACKWARD");

        // a new required field without default: old records cannot be read by the new schema
        Schema breaking =
                withField(
                        RawImage.getClassSchema(),
                        new Schema.Field(
                                "owner",
                                Schema.create(Schema.Type.STRING),
                                "Owner",
                                (Object) null));
        assertThat(client.isCompatible(subject, breaking)).isFalse();
        GenericRecord record =
                copyInto(SampleRecords.toGeneric(SampleRecords.rawImage(3)), breaking);
        record.put("owner", "alice");
        Throwable refused = catchThrowable(() -> serializer.serialize(topic, record));
        assertThat(refused)
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("incompatible")
                .hasMessageContaining("BACKWARD")
                .hasMessageContaining(subject);
        assertThat(((IncompatibleSchemaException) refused).status()).isEqualTo(409);
        assertThat(client.versions(subject)).hasSize(1);
        // a real producer surfaces it from send(): the record is not written
        try (var producer =
                new org.apache.kafka.clients.producer.KafkaProducer<>(
                        STACK.stack().producerConfig(), new StringSerializer(), serializer)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "img-3", record)))
                    .isInstanceOf(IncompatibleSchemaException.class);
        }
    }

    @Test
    void bytesOnTheTopicAreReadableByApicuriosOwnAvroDeserializer() {
        EmbeddedStack stack = STACK.stack();
        String topic = "cross-check";
        List<RawImage> sent = List.of(SampleRecords.rawImage(11), SampleRecords.rawImage(12));
        StackClients.produce(
                stack,
                new StringSerializer(),
                new AvroSerializer<RawImage>(client),
                sent.stream().map(r -> new ProducerRecord<>(topic, r.getImageId(), r)).toList());

        String apicurioApi =
                stack.registry()
                        .map(EmbeddedSchemaRegistry::apicurioApiUrl)
                        .orElse(
                                stack.registryUrl()
                                        .replace("/apis/ccompat/v7", "/apis/registry/v3"));
        Map<String, Object> apicurio = new HashMap<>();
        apicurio.put("apicurio.registry.url", apicurioApi);
        apicurio.put("apicurio.registry.headers.enabled", false); // id in the payload, not headers
        apicurio.put(
                "apicurio.registry.id-handler", "io.apicurio.registry.serde.Default4ByteIdHandler");
        apicurio.put("apicurio.registry.use-id", "contentId"); // ccompat ids are content ids
        try (AvroKafkaDeserializer<GenericRecord> independent = new AvroKafkaDeserializer<>()) {
            independent.configure(apicurio, false);
            List<ConsumerRecord<String, GenericRecord>> got =
                    StackClients.consume(
                            stack, topic, new StringDeserializer(), independent, 2, WAIT);
            assertThat(got).hasSize(2);
            for (int i = 0; i < 2; i++) {
                GenericRecord value = got.get(i).value();
                RawImage expected = sent.get(i);
                assertThat(value.get("imageId").toString()).isEqualTo(expected.getImageId());
                assertThat(value.get("label").toString()).isEqualTo(expected.getLabel());
                assertThat(value.get("width")).isEqualTo(expected.getWidth());
                assertThat(value.get("ingestTime").toString())
                        .isIn(
                                String.valueOf(expected.getIngestTime().toEpochMilli()),
                                expected.getIngestTime().toString());
                assertThat(bytes((ByteBuffer) value.get("image")))
                        .isEqualTo(bytes(expected.getImage()));
                assertThat(value.get("attributes").toString()).contains("CC-BY-4.0");
            }
        }
    }

    @Test
    void badPayloadsAreDataErrorsNamingMagicByteAndSchemaId() {
        EmbeddedStack stack = STACK.stack();
        String topic = "bad-payloads";
        byte[] good =
                new AvroSerializer<RawImage>(client).serialize(topic, SampleRecords.rawImage(5));
        int goodId = ByteBuffer.wrap(good, 1, 4).getInt();
        byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2);
        byte[] unknownId = good.clone();
        ByteBuffer.wrap(unknownId, 1, 4).putInt(987_654);
        byte[] wrongMagic =
                "{\"imageId\":\"img-5\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] shortHeader = {0, 0, 1};
        List<byte[]> payloads = List.of(new byte[0], wrongMagic, unknownId, truncated, shortHeader);
        StackClients.produce(
                stack,
                new StringSerializer(),
                new ByteArraySerializer(),
                payloads.stream().map(p -> new ProducerRecord<>(topic, "k", p)).toList());
        List<ConsumerRecord<String, byte[]>> onTopic =
                StackClients.consume(
                        stack,
                        topic,
                        new StringDeserializer(),
                        new ByteArrayDeserializer(),
                        5,
                        WAIT);
        assertThat(onTopic).hasSize(5);

        AvroDeserializer<RawImage> deserializer = new AvroDeserializer<>(client, RawImage.class);
        List<InvalidPayloadException> errors = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : onTopic) {
            Throwable t = catchThrowable(() -> deserializer.deserialize(topic, record.value()));
            assertThat(t)
                    .isInstanceOf(InvalidPayloadException.class)
                    .isInstanceOf(SerializationException.class)
                    .isNotInstanceOf(RetriableException.class);
            errors.add((InvalidPayloadException) t);
        }
        assertThat(errors.get(0))
                .hasMessageContaining("Empty payload")
                .hasMessageContaining("magic byte");
        assertThat(errors.get(0).magicByte()).isEqualTo(-1);
        assertThat(errors.get(1))
                .hasMessageContaining("magic byte 0x7b")
                .hasMessageContaining("schema id");
        assertThat(errors.get(1).magicByte()).isEqualTo(0x7b);
        assertThat(errors.get(2))
                .hasMessageContaining("Unknown schema id 987654")
                .hasMessageContaining("magic byte 0x00");
        assertThat(errors.get(2).schemaId()).isEqualTo(987_654);
        assertThat(errors.get(3))
                .hasMessageContaining("schema id " + goodId)
                .hasMessageContaining("magic byte 0x00")
                .hasMessageContaining("truncated or corrupt");
        assertThat(errors.get(4))
                .hasMessageContaining("magic byte 0x00")
                .hasMessageContaining("no room for the 4-byte schema id");

        // a valid record of another type is a data error too, saying what does not fit
        byte[] otherType =
                new AvroSerializer<ProtectedImage>(client)
                        .serialize(topic, SampleRecords.protectedImage(5));
        assertThat(catchThrowable(() -> deserializer.deserialize(topic, otherType)))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("does not resolve")
                .hasMessageContaining("magic byte 0x00");

        // through a real consumer: the poll fails at the bad record's offset
        Map<String, Object> config = stack.consumerConfig("bad-payloads-reader");
        try (KafkaConsumer<String, RawImage> consumer =
                new KafkaConsumer<>(
                        config,
                        new StringDeserializer(),
                        new AvroDeserializer<>(client, RawImage.class))) {
            consumer.subscribe(List.of(topic));
            Throwable failure = null;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (failure == null && System.nanoTime() < deadline) {
                failure = catchThrowable(() -> consumer.poll(Duration.ofMillis(200)));
            }
            assertThat(failure)
                    .isInstanceOf(RecordDeserializationException.class)
                    .hasCauseInstanceOf(InvalidPayloadException.class);
            assertThat(((RecordDeserializationException) failure).offset()).isZero();
        }
    }

    @Test
    void withoutAutoRegistrationOnlyRegisteredSchemasAreWritten() {
        String topic = "no-auto-register";
        Map<String, Object> config =
                Map.of(
                        SerdeConfig.SCHEMA_REGISTRY_URL,
                        STACK.stack().registryUrl(),
                        SerdeConfig.AUTO_REGISTER_SCHEMAS,
                        false);
        try (AvroSerializer<ProtectedImage> serializer = new AvroSerializer<>()) {
            serializer.configure(config, false);
            assertThatThrownBy(() -> serializer.serialize(topic, SampleRecords.protectedImage(1)))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("not registered under subject '" + topic + "-value'")
                    .hasMessageContaining("auto.register.schemas=false");
            int id = client.register(topic + "-value", ProtectedImage.getClassSchema());
            byte[] bytes = serializer.serialize(topic, SampleRecords.protectedImage(1));
            assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
            assertThat(
                            new AvroDeserializer<ProtectedImage>(client, ProtectedImage.class)
                                    .deserialize(topic, bytes))
                    .isEqualTo(SampleRecords.protectedImage(1));
        }
    }

    @Test
    void recordNameStrategyRegistersUnderTheRecordsFullName() {
        Map<String, Object> config =
                Map.of(
                        SerdeConfig.SCHEMA_REGISTRY_URL,
                        STACK.stack().registryUrl(),
                        SerdeConfig.VALUE_SUBJECT_NAME_STRATEGY,
                        "io.confluent.kafka.serializers.subject.RecordNameStrategy");
        try (AvroSerializer<AuditReport> serializer = new AvroSerializer<>()) {
            serializer.configure(config, false);
            serializer.serialize("any-topic", SampleRecords.auditReport(1));
        }
        assertThat(client.subjects()).contains("io.scrapeguard.schemas.AuditReport");
    }

    @Test
    void deadLetterTopicKeepsTheOriginalBytes() {
        Topics.Topic<String, byte[]> dlq = topics.deadLetters();
        assertThat(dlq.valueSerde().getClass()).isEqualTo(Serdes.ByteArray().getClass());
        byte[] original = {0x7b, 0x01, 0x02};
        StackClients.produce(
                STACK.stack(),
                dlq.keySerde().serializer(),
                dlq.valueSerde().serializer(),
                List.of(new ProducerRecord<>(dlq.name(), "img-9", original)));
        assertThat(
                        StackClients.consume(
                                STACK.stack(),
                                dlq.name(),
                                dlq.keySerde().deserializer(),
                                dlq.valueSerde().deserializer(),
                                1,
                                WAIT))
                .singleElement()
                .satisfies(r -> assertThat(r.value()).isEqualTo(original));
    }

    @Test
    void kafkaStreamsDeadLettersBadPayloadsInTheFormatDeadLetterHeadersReads(@TempDir Path stateDir)
            throws Exception {
        EmbeddedStack stack = STACK.stack();
        String in = "streams-in";
        String out = "streams-out";
        String dlq = "streams-dead-letters";
        stack.createTopics(in, out, dlq);
        byte[] good = new AvroSerializer<RawImage>(client).serialize(in, SampleRecords.rawImage(1));
        byte[] wrongMagic = {0x7b, 0x22, 0x61, 0x22, 0x7d};
        byte[] unknownId = good.clone();
        ByteBuffer.wrap(unknownId, 1, 4).putInt(424_242);
        byte[] good2 =
                new AvroSerializer<RawImage>(client).serialize(in, SampleRecords.rawImage(2));
        List<byte[]> inputs = List.of(good, wrongMagic, unknownId, good2);
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            ProducerRecord<String, byte[]> r = new ProducerRecord<>(in, "img-" + i, inputs.get(i));
            r.headers().add("trace-id", ("t" + i).getBytes(StandardCharsets.UTF_8));
            records.add(r);
        }
        StackClients.produce(stack, new StringSerializer(), new ByteArraySerializer(), records);

        Topics.Topic<String, RawImage> raw = topics.rawImages();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(in, Consumed.with(raw.keySerde(), raw.valueSerde()))
                .to(out, Produced.with(raw.keySerde(), raw.valueSerde()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dlq-format-check");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, dlq);
        props.put(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueExceptionHandler.class);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> dead;
        List<ConsumerRecord<String, RawImage>> passed;
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            streams.start();
            passed =
                    StackClients.consume(
                            stack,
                            out,
                            new StringDeserializer(),
                            new AvroDeserializer<RawImage>(client, RawImage.class),
                            2,
                            Duration.ofSeconds(60));
            dead =
                    StackClients.consume(
                            stack,
                            dlq,
                            new StringDeserializer(),
                            new ByteArrayDeserializer(),
                            2,
                            Duration.ofSeconds(30));
            streams.close(Duration.ofSeconds(20));
        }
        assertThat(passed)
                .extracting(r -> r.value().getImageId())
                .containsExactly("img-1", "img-2");
        assertThat(dead).hasSize(2);
        assertThat(dead.get(0).value()).isEqualTo(wrongMagic);
        assertThat(dead.get(1).value()).isEqualTo(unknownId);
        DeadLetterHeaders.DeadLetter first = DeadLetterHeaders.read(dead.get(0).headers());
        assertThat(first.exception()).isEqualTo(InvalidPayloadException.class.getName());
        assertThat(first.reason()).contains("magic byte 0x7b");
        assertThat(first.sourceTopic()).isEqualTo(in);
        assertThat(first.sourcePartition()).isZero();
        assertThat(first.sourceOffset()).isEqualTo(1L);
        DeadLetterHeaders.DeadLetter second = DeadLetterHeaders.read(dead.get(1).headers());
        assertThat(second.reason()).contains("Unknown schema id 424242");
        assertThat(second.sourceOffset()).isEqualTo(2L);
        assertThat(dead.get(0).key()).isEqualTo("img-1");
        assertThat(DeadLetterHeaders.string(dead.get(0).headers(), "trace-id")).contains("t1");
    }

    private static Schema withField(Schema base, Schema.Field extra) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : base.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(extra);
        Schema evolved =
                Schema.createRecord(
                        base.getName(), base.getDoc(), base.getNamespace(), false, fields);
        base.getObjectProps().forEach(evolved::addProp);
        return evolved;
    }

    private static GenericRecord copyInto(GenericRecord from, Schema schema) {
        GenericData.Record to = new GenericData.Record(schema);
        for (Schema.Field f : from.getSchema().getFields()) {
            to.put(f.name(), from.get(f.name()));
        }
        return to;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        b.rewind();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** Nested classes share the outer class's stack; tests may take it as a parameter. */
    @Nested
    class SharingTheStack {
        @Test
        void theExtensionInjectsTheClassesStack(EmbeddedStack injected) {
            assertThat(injected).isSameAs(STACK.stack());
            assertThat(injected.registry()).isPresent();
            assertThat(injected.registry().orElseThrow().isReady()).isTrue();
        }
    }

    /**
     * The registry stops mid-run: retriable errors, nothing dropped, everything flows once it is
     * back. Runs after the outer class's tests (JUnit runs nested classes last) on the same stack.
     */
    @Nested
    class WhenTheRegistryStops {
        private static final String IMAGES = "outage-images";
        private static final String REPORTS = "outage-reports";

        @Test
        void registryDownGivesRetriableErrorsAndNoRecordIsLostOnceItIsBack() throws Exception {
            EmbeddedStack stack = STACK.stack();
            assumeTrue(stack.isEmbedded(), "needs the embedded registry to stop it");
            EmbeddedSchemaRegistry registry = stack.registry().orElseThrow();
            stack.createTopics(IMAGES, REPORTS);

            Set<String> sent = new TreeSet<>();
            try (SchemaRegistryClient producerClient =
                            new SchemaRegistryClient(stack.registryUrl());
                    KafkaProducer<String, Object> producer =
                            new KafkaProducer<>(
                                    stack.producerConfig(),
                                    new StringSerializer(),
                                    new AvroSerializer<>(producerClient))) {
                for (int i = 0; i < 5; i++) {
                    send(producer, IMAGES, SampleRecords.rawImage(i));
                    sent.add("img-" + i);
                }

                registry.stop();
                assertThat(registry.isReady()).isFalse();

                // A serializer that knows its schema keeps working without the registry.
                for (int i = 5; i < 10; i++) {
                    send(producer, IMAGES, SampleRecords.rawImage(i));
                    sent.add("img-" + i);
                }
                // A schema it has never registered cannot be written: retriable, not a data error.
                List<AuditReport> pending =
                        List.of(SampleRecords.auditReport(1), SampleRecords.auditReport(2));
                for (AuditReport report : pending) {
                    Throwable failure = catchThrowable(() -> send(producer, REPORTS, report));
                    assertThat(rootOfType(failure, RegistryUnavailableException.class))
                            .as("send while the registry is down")
                            .isNotNull()
                            .isInstanceOf(RetriableException.class)
                            .isNotInstanceOf(SerializationException.class)
                            .hasMessageContaining("unreachable");
                }

                // A fresh reader cannot resolve the schema id: retriable, and the consumer stays
                // put.
                try (SchemaRegistryClient readerClient =
                                new SchemaRegistryClient(stack.registryUrl());
                        KafkaConsumer<String, RawImage> consumer =
                                new KafkaConsumer<>(
                                        stack.consumerConfig("outage-reader"),
                                        new StringDeserializer(),
                                        new AvroDeserializer<>(readerClient, RawImage.class))) {
                    consumer.subscribe(List.of(IMAGES));
                    Throwable failure = null;
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (failure == null && System.nanoTime() < deadline) {
                        failure = catchThrowable(() -> consumer.poll(Duration.ofMillis(200)));
                    }
                    assertThat(failure).isInstanceOf(RecordDeserializationException.class);
                    assertThat(rootOfType(failure, RegistryUnavailableException.class)).isNotNull();
                    assertThat(((RecordDeserializationException) failure).offset()).isZero();

                    registry.restart();

                    // The same consumer, retrying, now reads everything from where it stopped.
                    Set<String> read = new TreeSet<>();
                    deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (read.size() < 10 && System.nanoTime() < deadline) {
                        for (ConsumerRecord<String, RawImage> r :
                                consumer.poll(Duration.ofMillis(200))) {
                            read.add(r.value().getImageId());
                        }
                    }
                    assertThat(read).isEqualTo(sent);
                }

                // The failed sends succeed on retry, with the ids the registry kept across the
                // restart.
                for (AuditReport report : pending) {
                    send(producer, REPORTS, report);
                }
            }
            List<ConsumerRecord<String, AuditReport>> reports =
                    StackClients.consume(
                            stack,
                            REPORTS,
                            new StringDeserializer(),
                            new AvroDeserializer<AuditReport>(
                                    new SchemaRegistryClient(stack.registryUrl()),
                                    AuditReport.class),
                            2,
                            Duration.ofSeconds(30));
            assertThat(reports)
                    .extracting(ConsumerRecord::value)
                    .containsExactly(SampleRecords.auditReport(1), SampleRecords.auditReport(2));
        }

        @Test
        void aRegistryThatDiesIsStartedAgainOnItsPortWithItsSchemas() throws Exception {
            EmbeddedStack stack = STACK.stack();
            assumeTrue(stack.isEmbedded(), "needs the embedded registry to kill it");
            EmbeddedSchemaRegistry registry = stack.registry().orElseThrow();
            publishOneImage(stack, 100); // its schema is registered
            String subjectsBefore = subjects(stack);
            int restartsBefore = registry.restarts();
            ProcessHandle watchdog = registry.processHandle().orElseThrow();
            assertThat(registry.running()).isTrue();
            // kill -9 of the registry JVM itself (as the OOM killer would), not a clean stop
            var jvms = watchdog.descendants().toList();
            jvms.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle jvm : jvms) {
                jvm.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            assertThat(registry.running())
                    .as("not running from the JVM's death (its watchdog may live a second more)")
                    .isFalse();
            watchdog.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);

            awaitRestart(registry, restartsBefore);
            assertThat(registry.isReady()).isTrue();
            assertThat(registry.restarts()).isEqualTo(restartsBefore + 1);
            assertThat(registry.processHandle().orElseThrow().pid()).isNotEqualTo(watchdog.pid());
            assertThat(subjectsBefore).isNotEqualTo("[]");
            assertThat(subjects(stack)).as("its data kept").isEqualTo(subjectsBefore);
        }

        @Test
        void aRegistryWhoseWatchdogIsKilledIsStartedAgainAndLeavesNoOrphan() throws Exception {
            EmbeddedStack stack = STACK.stack();
            assumeTrue(stack.isEmbedded(), "needs the embedded registry to kill it");
            EmbeddedSchemaRegistry registry = stack.registry().orElseThrow();
            publishOneImage(stack, 101); // its schema is registered
            String subjectsBefore = subjects(stack);
            int restartsBefore = registry.restarts();
            ProcessHandle watchdog = registry.processHandle().orElseThrow();
            var jvms = watchdog.children().toList();
            assumeTrue(!jvms.isEmpty(), "needs the watchdog shell (/bin/sh) around the JVM");
            // kill -9 of the watchdog shell only: its JVM lives on, no longer our descendant
            watchdog.destroyForcibly();
            watchdog.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);

            awaitRestart(registry, restartsBefore);
            assertThat(jvms)
                    .as("the orphaned registry JVM was stopped, not left holding the port")
                    .noneMatch(ProcessHandle::isAlive);
            assertThat(registry.isReady()).isTrue();
            assertThat(subjects(stack)).as("its data kept").isEqualTo(subjectsBefore);
        }

        /** Waits (up to 150 s) until the supervisor has started the registry again. */
        private static void awaitRestart(EmbeddedSchemaRegistry registry, int restartsBefore)
                throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
            while (registry.restarts() == restartsBefore || !registry.running()) {
                if (registry.running()) {
                    // not while the new child starts: only once it answers
                    assertThat(registry.isReady()).as("running means answering").isTrue();
                }
                assertThat(System.nanoTime()).as("the registry is back").isLessThan(deadline);
                Thread.sleep(50);
            }
        }

        private static void publishOneImage(EmbeddedStack stack, int i) throws Exception {
            stack.createTopics(IMAGES);
            try (SchemaRegistryClient client = new SchemaRegistryClient(stack.registryUrl());
                    KafkaProducer<String, Object> producer =
                            new KafkaProducer<>(
                                    stack.producerConfig(),
                                    new StringSerializer(),
                                    new AvroSerializer<>(client))) {
                send(producer, IMAGES, SampleRecords.rawImage(i));
            }
        }

        private static String subjects(EmbeddedStack stack) throws Exception {
            var http = java.net.http.HttpClient.newHttpClient();
            var response =
                    http.send(
                            java.net.http.HttpRequest.newBuilder(
                                            java.net.URI.create(stack.registryUrl() + "/subjects"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        }

        private static RecordMetadata send(
                KafkaProducer<String, Object> producer, String topic, Object value)
                throws InterruptedException {
            String key = value instanceof RawImage r ? r.getImageId() : "quick";
            try {
                Future<RecordMetadata> ack = producer.send(new ProducerRecord<>(topic, key, value));
                return ack.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re
                        ? re
                        : new IllegalStateException(e.getCause());
            }
        }

        private static <T extends Throwable> T rootOfType(Throwable t, Class<T> type) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (type.isInstance(c)) {
                    return type.cast(c);
                }
            }
            return null;
        }
    }
}
