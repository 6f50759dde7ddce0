package io.scrapeguard.poisoner;

import io.scrapeguard.core.Budget;
import io.scrapeguard.core.Perturbation;
import io.scrapeguard.core.PerturbationMethod;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The real method, holding one image (the first time it is perturbed) until the test releases it: a
 * chaos test's fault point is this event, not a time. Its transaction stays open meanwhile.
 */
final class HoldOne implements PerturbationMethod {
    private final PerturbationMethod delegate;
    private final String heldId;
    final CountDownLatch held = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final AtomicBoolean once = new AtomicBoolean();

    HoldOne(PerturbationMethod delegate, String heldId) {
        this.delegate = delegate;
        this.heldId = heldId;
    }

    @Override
    public Perturbation perturbation(int k, String imageId, int h, int w, int c) {
        gate(imageId);
        return delegate.perturbation(k, imageId, h, w, c);
    }

    @Override
    public void perturbationInto(double[] out, int k, String imageId, int h, int w, int c) {
        gate(imageId);
        delegate.perturbationInto(out, k, imageId, h, w, c);
    }

    private void gate(String imageId) {
        if (imageId.equals(heldId) && once.compareAndSet(false, true)) {
            held.countDown();
            try {
                // bounded, so a failed test cannot leave a stream thread parked for good
                release.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public int classes() {
        return delegate.classes();
    }

    @Override
    public Budget budget() {
        return delegate.budget();
    }

    @Override
    public String bankVersion() {
        return delegate.bankVersion();
    }
}
