package io.scrapeguard.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.scrapeguard.schemas.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A registry URL that does not parse, or parses without a host, with a password in its user info:
 * the client refuses it with a configuration error naming the problem, and the password appears
 * nowhere, neither in the message nor in a cause or the stack trace.
 */
class RegistryUrlSecretTest {
    private static final String SECRET = "s3cr3tPW";

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://alice:" + SECRET + " x@registry.example:8081", // a space: does not parse
                "http://alice:" + SECRET + "%zz@registry.example:8081", // a bad escape
                "http://alice:" + SECRET + "^@registry.example:8081/apis/ccompat/v7",
                "http://alice:p@" + SECRET + "@registry.example:8081", // parses, but no host
                "http://alice:p/" + SECRET + "@registry.example:8081", // parses, but no host
                "http://alice:p#" + SECRET + "@registry.example:8081", // parses, but no host
                "http://127.0.0.1:1,http://alice:" + SECRET + " x@registry.example:8081"
            })
    void anUnusableUrlWithAPasswordIsRefusedWithoutThePassword(String urls) {
        Throwable t = catchThrowable(() -> new SchemaRegistryClient(urls).close());
        assertThat(t).isInstanceOf(ConfigException.class);
        assertThat(t.getMessage())
                .contains("schema registry URL", "is not a valid URL", "***@registry.example")
                .doesNotContain(SECRET);
        assertThat(everything(t)).doesNotContain(SECRET);

        // the same through the serdes' configuration, as the poisoner and `up` build them
        Throwable viaTopics =
                catchThrowable(
                        () ->
                                Topics.fromConfig(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, urls))
                                        .close());
        assertThat(viaTopics).isNotNull();
        assertThat(everything(viaTopics)).doesNotContain(SECRET);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://alice:" + SECRET + "@registry.example:8081",
                "http://alice:p@" + SECRET + "@registry.example:8081/x",
                "alice:" + SECRET + "@registry.example:8081"
            })
    void redactionHidesEveryUserInfo(String url) {
        assertThat(RegistryUrls.redacted(url)).doesNotContain(SECRET).contains("***@registry");
        assertThat(RegistryUrls.scrub("cannot reach " + url + " now", url))
                .doesNotContain(SECRET)
                .contains("***@registry.example:8081");
    }

    private static String everything(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
