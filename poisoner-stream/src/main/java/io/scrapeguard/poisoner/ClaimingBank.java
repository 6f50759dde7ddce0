package io.scrapeguard.poisoner;

import io.scrapeguard.core.ArPerturbationMethod;
import io.scrapeguard.core.PerturbationMethod;
import io.scrapeguard.core.ProcessBank;
import io.scrapeguard.schemas.LabelBank;

/** The bank a perturbation method claims labels with, as the label assignment log checks it. */
final class ClaimingBank {
    private ClaimingBank() {}

    static LabelBank of(PerturbationMethod method) {
        if (method instanceof ArPerturbationMethod ar) {
            ProcessBank bank = ar.bank();
            return new LabelBank(
                    bank.fingerprint(),
                    bank.size(),
                    n -> new ProcessBank(bank.processes().subList(0, n)).fingerprint());
        }
        String version = method.bankVersion();
        // a method without a bank (the noise control) has nothing a claim could be checked with
        return version == null || version.equals("none")
                ? LabelBank.unnamed(method.classes())
                : new LabelBank(version, method.classes(), n -> null);
    }
}
