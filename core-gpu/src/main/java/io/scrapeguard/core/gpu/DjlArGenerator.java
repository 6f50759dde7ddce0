package io.scrapeguard.core.gpu;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.scrapeguard.core.ArGenerator;
import io.scrapeguard.core.ArProcess;
import io.scrapeguard.core.Budget;
import io.scrapeguard.core.GaussianSource;
import io.scrapeguard.core.ImageSeeds;
import io.scrapeguard.core.Perturbation;
import io.scrapeguard.core.ProcessBank;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Batched Algorithm 2 on DJL NDArrays (PyTorch), on a GPU when DJL finds one.
 *
 * <p>Pixel (r, s) of the recurrence depends only on pixels with a smaller r + s, so a whole
 * anti-diagonal t = r + s can be generated at once, for every image and channel of a batch. The
 * arrays are stored skewed, y[b][c][r][r + s] = x[b][c][r][s], which turns each anti-diagonal into
 * a column: step t reads columns t-4..t-1 at row offsets 0..2 (eight shifted slices times the
 * per-image coefficients) and writes column t. H + W + 3 steps replace (H+2)(W+2) sequential ones.
 *
 * <p>The Gaussian border values come from the same {@link GaussianSource}s in the same canonical
 * order as the Java path ({@link ArGenerator#borderDraws}), so both backends produce the same
 * perturbations up to floating-point rounding (float32 on a GPU by default).
 */
public final class DjlArGenerator implements AutoCloseable {
    private final ProcessBank bank;
    private final NDManager manager;
    private final DataType dataType;

    public DjlArGenerator(ProcessBank bank, Device device, DataType dataType) {
        this.bank = Objects.requireNonNull(bank, "bank");
        if (dataType != DataType.FLOAT32 && dataType != DataType.FLOAT64) {
            throw new IllegalArgumentException("data type must be float32 or float64, got " + dataType);
        }
        this.dataType = dataType;
        this.manager = NDManager.newBaseManager(device, "PyTorch");
    }

    /** Whether DJL's PyTorch engine sees a GPU. */
    public static boolean gpuAvailable() {
        return Engine.getEngine("PyTorch").getGpuCount() > 0;
    }

    /** A GPU when DJL finds one (float32), else the CPU (float64). */
    public static DjlArGenerator create(ProcessBank bank) {
        boolean gpu = gpuAvailable();
        return new DjlArGenerator(bank, gpu ? Device.gpu() : Device.cpu(),
                gpu ? DataType.FLOAT32 : DataType.FLOAT64);
    }

    public Device device() {
        return manager.getDevice();
    }

    public DataType dataType() {
        return dataType;
    }

    /**
     * Raw (unscaled) perturbations, HWC per image: image i uses class {@code classes[i]} and draws
     * its border from {@code sources[i]}.
     */
    public double[][] generateRaw(int[] classes, GaussianSource[] sources, int height, int width,
            int channels) {
        if (classes.length != sources.length) {
            throw new IllegalArgumentException("classes and sources differ in length: "
                    + classes.length + " vs " + sources.length);
        }
        int batch = classes.length;
        if (batch == 0) {
            return new double[0][];
        }
        for (int k : classes) {
            bank.process(k); // validates the class
        }
        int rs = height + 4;
        int cs = width + 4;
        int ts = rs + cs - 1;
        // skewed start: border values only, zeros elsewhere
        double[] start = new double[batch * channels * rs * ts];
        for (int b = 0; b < batch; b++) {
            double[][] d = ArGenerator.borderDraws(height, width, channels, sources[b]);
            for (int c = 0; c < channels; c++) {
                int base = ((b * channels + c) * rs) * ts;
                int i = 0;
                for (int r = 0; r < rs; r++) {
                    int end = r < 2 ? cs : 2;
                    for (int s = 0; s < end; s++) {
                        start[base + r * ts + r + s] = d[c][i++];
                    }
                }
            }
        }
        // coefficients per (image, channel) for each of the 8 taps, shaped (B, C, 1)
        double[][] coef = new double[8][batch * channels];
        for (int b = 0; b < batch; b++) {
            ArProcess p = bank.process(classes[b]);
            for (int c = 0; c < channels; c++) {
                for (int q = 0; q < 8; q++) {
                    coef[q][b * channels + c] = p.coefficient(c % 3, q / 3, q % 3);
                }
            }
        }
        double[] result;
        try (NDManager m = manager.newSubManager()) {
            NDArray y = m.create(start, new Shape(batch, channels, rs, ts)).toType(dataType, false);
            NDArray[] taps = new NDArray[8];
            for (int q = 0; q < 8; q++) {
                taps[q] = m.create(coef[q], new Shape(batch, channels, 1)).toType(dataType, false);
            }
            for (int t = 4; t <= (rs - 1) + (cs - 1); t++) {
                int lo = Math.max(2, t - (cs - 1));
                int hi = Math.min(rs - 1, t - 2);
                if (lo > hi) {
                    continue;
                }
                try (NDManager step = m.newSubManager()) {
                    NDArray sum = null;
                    for (int q = 0; q < 8; q++) {
                        int u = q / 3;
                        int v = q % 3;
                        NDArray src = y.get(new NDIndex(":, :, {}:{}, {}", lo - 2 + u, hi - 1 + u, t - 4 + u + v));
                        src.attach(step);
                        NDArray term = src.mul(taps[q]);
                        sum = sum == null ? term : sum.addi(term);
                    }
                    y.set(new NDIndex(":, :, {}:{}, {}", lo, hi + 1, t), sum);
                }
            }
            result = y.toType(DataType.FLOAT64, false).toDoubleArray();
        }
        // unskew the kept region into HWC
        double[][] out = new double[batch][height * width * channels];
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < channels; c++) {
                int base = ((b * channels + c) * rs) * ts;
                for (int yy = 0; yy < height; yy++) {
                    int r = yy + 4;
                    for (int xx = 0; xx < width; xx++) {
                        out[b][(yy * width + xx) * channels + c] = result[base + r * ts + r + xx + 4];
                    }
                }
            }
        }
        return out;
    }

    /** Budget-scaled perturbations of a batch of images, seeded like the Java path. */
    public List<Perturbation> generate(int[] classes, String[] imageIds, ImageSeeds seeds, Budget budget,
            int height, int width, int channels) {
        GaussianSource[] sources = new GaussianSource[imageIds.length];
        for (int i = 0; i < sources.length; i++) {
            sources[i] = seeds.gaussians(imageIds[i]);
        }
        double[][] raw = generateRaw(classes, sources, height, width, channels);
        List<Perturbation> out = new ArrayList<>(raw.length);
        for (double[] v : raw) {
            budget.scaleInPlace(v, height, width, channels);
            out.add(new Perturbation(height, width, channels, v));
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
