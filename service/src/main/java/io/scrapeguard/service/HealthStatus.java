package io.scrapeguard.service;

/** One answer of a health check: up or not, and why (shown in the JSON body). */
public record HealthStatus(boolean up, String reason) {

    public static HealthStatus up(String reason) {
        return new HealthStatus(true, reason);
    }

    public static HealthStatus down(String reason) {
        return new HealthStatus(false, reason);
    }

    /** The JSON body served by {@code /health/*}. */
    String toJson() {
        return "{\"status\":\""
                + (up ? "UP" : "DOWN")
                + "\",\"reason\":\""
                + Json.escape(reason)
                + "\"}";
    }
}
