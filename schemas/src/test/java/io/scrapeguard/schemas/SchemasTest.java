package io.scrapeguard.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class SchemasTest {

    @Test
    void schemasLiveInTheJavaPackageNamespaceWithJavaStrings() {
        for (Schema s :
                new Schema[] {
                    RawImage.getClassSchema(),
                    ProtectedImage.getClassSchema(),
                    AuditReport.getClassSchema()
                }) {
            assertThat(s.getNamespace()).isEqualTo("io.scrapeguard.schemas");
            assertThat(s.getField("imageId") != null || s.getField("reportId") != null).isTrue();
        }
        // stringType=String: generated getters return java.lang.String
        assertThat(
                        RawImage.getClassSchema()
                                .getField("imageId")
                                .schema()
                                .getProp("avro.java.string"))
                .isEqualTo("String");
    }

    @Test
    void protectedImagesCarryNothingSecret() {
        assertThat(ProtectedImage.getClassSchema().getFields())
                .extracting(Schema.Field::name)
                .containsExactly(
                        "imageId",
                        "label",
                        "contentType",
                        "width",
                        "height",
                        "image",
                        "method",
                        "budget",
                        "bankVersion",
                        "processedTime")
                .noneMatch(
                        n ->
                                n.toLowerCase().contains("seed")
                                        || n.toLowerCase().contains("coef")
                                        || n.toLowerCase().contains("key")
                                        || n.toLowerCase().contains("secret"));
    }

    @Test
    void topicsAreDeclaredOnce() {
        assertThat(Topics.names())
                .containsExactly(
                        "guard.images.raw",
                        "guard.images.protected",
                        "guard.images.dead-letter",
                        "guard.audit-reports");
        assertThat(Topics.topicConfig())
                .containsEntry("max.message.bytes", String.valueOf(Topics.MAX_MESSAGE_BYTES));
        try (Topics topics = Topics.forRegistry("http://127.0.0.1:1")) {
            assertThat(topics.rawImages().name()).isEqualTo(Topics.RAW_IMAGES);
            assertThat(
                            topics.deadLetters()
                                    .valueSerde()
                                    .serializer()
                                    .serialize("t", new byte[] {7}))
                    .containsExactly(7);
            assertThat(topics.protectedImages().keySerde().serializer().serialize("t", "img-1"))
                    .isEqualTo("img-1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
