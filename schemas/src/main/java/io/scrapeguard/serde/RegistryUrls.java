package io.scrapeguard.serde;

import java.net.URI;
import java.net.URISyntaxException;
import org.apache.kafka.common.config.ConfigException;

/**
 * Registry URLs as configured, which may carry {@code user:password@}: parsed without ever
 * repeating the password in an error, and shown only {@link #redacted}.
 */
public final class RegistryUrls {
    private RegistryUrls() {}

    /**
     * {@code url} parsed, with a host: a {@link ConfigException} otherwise, whose message names the
     * problem and the URL {@link #redacted}. {@link URI#create} would repeat the whole URL, a
     * password in its user info included; and a password with an unescaped {@code @}, {@code /} or
     * {@code #} parses, but as a URL without host whose "base" would be the whole text. Neither the
     * {@link URISyntaxException} nor its message is kept as the cause.
     */
    public static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid(url, e.getReason()); // the reason alone: the message repeats the URL
        }
        if (uri.getHost() == null) {
            throw invalid(
                    url, "no host (an '@', '/' or '#' in a password must be percent-encoded)");
        }
        return uri;
    }

    private static ConfigException invalid(String url, String why) {
        return new ConfigException(
                "The schema registry URL "
                        + redacted(url)
                        + " is not a valid URL: "
                        + why
                        + " (percent-encode special characters of a password in the URL, or give"
                        + " the credentials as '"
                        + SerdeConfig.BASIC_AUTH_USER_INFO
                        + "')");
    }

    /**
     * {@code url} with whatever may be user info replaced by {@code ***}: everything between the
     * scheme's {@code ://} (or the start) and the last {@code @}. Works on text that does not parse
     * as a URL, and rather hides too much (an {@code @} in a path) than too little (a password
     * holding {@code @} or {@code /}).
     */
    public static String redacted(String url) {
        if (url == null) {
            return null;
        }
        int scheme = url.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        int at = url.lastIndexOf('@');
        if (at < start) {
            return url;
        }
        return url.substring(0, start) + "***" + url.substring(at);
    }

    /**
     * {@code text} (an exception's message, say) with {@code url}'s possible user info replaced by
     * {@code ***} wherever it appears.
     */
    public static String scrub(String text, String url) {
        if (text == null || url == null) {
            return text;
        }
        int scheme = url.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        int at = url.lastIndexOf('@');
        if (at <= start) {
            return text;
        }
        return text.replace(url.substring(start, at), "***");
    }
}
