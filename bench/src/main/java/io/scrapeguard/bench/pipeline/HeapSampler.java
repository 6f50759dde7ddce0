package io.scrapeguard.bench.pipeline;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;

/**
 * The heap this JVM really held: total used, sampled every 10 ms (an instant's figure, unlike the
 * sum of each pool's own peak, which adds peaks of different moments), and the largest live set the
 * collector left behind (heap used just after a collection).
 */
final class HeapSampler {
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peakUsed;
    private volatile long peakLive;

    private HeapSampler() {
        thread = new Thread(this::sample, "heap-sampler");
        thread.setDaemon(true);
    }

    static HeapSampler start() {
        HeapSampler s = new HeapSampler();
        s.thread.start();
        return s;
    }

    private void sample() {
        var memory = ManagementFactory.getMemoryMXBean();
        while (running) {
            peakUsed = Math.max(peakUsed, memory.getHeapMemoryUsage().getUsed());
            peakLive = Math.max(peakLive, afterLastCollection());
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void stop() throws InterruptedException {
        running = false;
        thread.join();
    }

    long peakUsedBytes() {
        return peakUsed;
    }

    /** Largest heap in use just after a collection: the live set plus what survived young. */
    long peakLiveBytes() {
        return peakLive;
    }

    private static final List<MemoryPoolMXBean> POOLS = ManagementFactory.getMemoryPoolMXBeans();

    private static long afterLastCollection() {
        long sum = 0;
        for (MemoryPoolMXBean pool : POOLS) {
            MemoryUsage after = pool.getCollectionUsage();
            if (pool.getType() == MemoryType.HEAP && after != null) {
                sum += after.getUsed();
            }
        }
        return sum;
    }
}
