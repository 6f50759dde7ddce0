package io.scrapeguard.core;

/** A method whose classes are the processes of an AR bank: one class per process. */
public interface ArBankMethod extends PerturbationMethod {
    /** The bank of class processes (secret: never published, only its fingerprint). */
    ProcessBank bank();

    @Override
    default int classes() {
        return bank().size();
    }

    @Override
    default String bankVersion() {
        return bank().fingerprint();
    }
}
