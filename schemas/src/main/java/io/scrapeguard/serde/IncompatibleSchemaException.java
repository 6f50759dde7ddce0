package io.scrapeguard.serde;

/**
 * The registry refused a schema because it breaks the subject's compatibility rule (HTTP 409).
 * Deploy a compatible schema (e.g. add new fields with defaults) or change the subject's
 * compatibility level on purpose.
 */
public class IncompatibleSchemaException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public IncompatibleSchemaException(String message, int status, int errorCode) {
        super(message, status, errorCode);
    }
}
