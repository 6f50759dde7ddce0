package io.scrapeguard.auditor;

import io.scrapeguard.core.ArFilterClassifier;
import io.scrapeguard.core.Perturbation;
import io.scrapeguard.core.ProcessBank;
import java.nio.file.Path;

/** The AR-filter classifier over a process bank (core's), as the auditor's delta classifier. */
public final class BankClassifiers {
    private BankClassifiers() {}

    /** The classifier of the given bank file, or of the paper's default bank when null. */
    public static DeltaClassifier load(Path bankFile) {
        return of(bankFile == null ? ProcessBank.paperDefault() : ProcessBank.load(bankFile));
    }

    public static DeltaClassifier of(ProcessBank bank) {
        ArFilterClassifier filter = new ArFilterClassifier(bank);
        return (delta, h, w, c) -> {
            double[] v = new double[delta.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = delta[i];
            }
            return filter.classify(new Perturbation(h, w, c, v));
        };
    }
}
