package io.scrapeguard.schemas;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The largest record a topic takes: its {@code max.message.bytes}, read once at start, so a client
 * refuses a record before sending it instead of the broker rejecting it after the upload. {@link
 * Topics#MAX_MESSAGE_BYTES} (what ScrapeGuard creates its topics with) when the topic does not
 * exist yet or its configuration cannot be read.
 */
public record RecordLimit(String topic, int maxMessageBytes, boolean fromTopic) {
    /** Room for the batch and record headers, the key and the headers beside the value. */
    public static final int OVERHEAD_BYTES = 1024;

    public static RecordLimit defaultFor(String topic) {
        return new RecordLimit(topic, Topics.MAX_MESSAGE_BYTES, false);
    }

    /**
     * Reads {@code topic}'s limit with an admin client of {@code clientConfig} (security settings
     * included); a reason it could not is passed to {@code note}.
     */
    public static RecordLimit read(
            Map<String, Object> clientConfig, String topic, Consumer<String> note) {
        Map<String, Object> c = new HashMap<>(clientConfig);
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = Admin.create(c)) {
            Config config =
                    admin.describeConfigs(List.of(resource))
                            .all()
                            .get(20, TimeUnit.SECONDS)
                            .get(resource);
            var entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            return entry == null || entry.value() == null
                    ? defaultFor(topic)
                    : new RecordLimit(topic, Integer.parseInt(entry.value()), true);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                note.accept(why(topic, e.getCause().toString()));
            }
            return defaultFor(topic);
        } catch (TimeoutException | RuntimeException e) {
            note.accept(why(topic, e.toString()));
            return defaultFor(topic);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return defaultFor(topic);
        }
    }

    private static String why(String topic, String error) {
        return "cannot read max.message.bytes of "
                + topic
                + " ("
                + error
                + "); assuming "
                + Topics.MAX_MESSAGE_BYTES
                + " bytes";
    }

    /** Whether a value of {@code valueBytes} fits, with room for the rest of the record. */
    public boolean fits(long valueBytes) {
        return valueBytes + OVERHEAD_BYTES <= maxMessageBytes;
    }

    /** The reason a too-large record is refused, for the user. */
    public String describe() {
        return topic
                + " takes records up to "
                + maxMessageBytes
                + " bytes ("
                + (fromTopic ? "its" : "ScrapeGuard's default")
                + " max.message.bytes), image and metadata together";
    }
}
