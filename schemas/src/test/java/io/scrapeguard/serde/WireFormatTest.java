package io.scrapeguard.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    @Test
    void readsTheBigEndianSchemaIdAfterMagicByteZero() {
        ByteBuffer b = ByteBuffer.allocate(7);
        WireFormat.writeHeader(b, 0x01020304);
        byte[] payload = b.array();
        assertThat(payload[0]).isZero();
        assertThat(payload[1]).isEqualTo((byte) 1);
        assertThat(payload[4]).isEqualTo((byte) 4);
        assertThat(WireFormat.schemaId("t", payload)).isEqualTo(0x01020304);
    }

    @Test
    void emptyWrongMagicAndShortHeadersAreDataErrorsNamingBoth() {
        assertThatThrownBy(() -> WireFormat.schemaId("t", new byte[0]))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("no magic byte and no schema id");
        assertThatThrownBy(() -> WireFormat.schemaId("t", new byte[] {1, 0, 0, 0, 42, 9}))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("magic byte 0x01")
                .hasMessageContaining("schema id field reads 42")
                .satisfies(
                        e -> {
                            assertThat(((InvalidPayloadException) e).magicByte()).isEqualTo(1);
                            assertThat(((InvalidPayloadException) e).schemaId()).isEqualTo(42);
                        });
        assertThatThrownBy(() -> WireFormat.schemaId("t", new byte[] {(byte) 0xff}))
                .hasMessageContaining("magic byte 0xff")
                .hasMessageContaining("schema id field reads (missing)");
        assertThatThrownBy(() -> WireFormat.schemaId("t", new byte[] {0, 0, 1}))
                .hasMessageContaining("magic byte 0x00")
                .hasMessageContaining("no room for the 4-byte schema id");
    }
}
