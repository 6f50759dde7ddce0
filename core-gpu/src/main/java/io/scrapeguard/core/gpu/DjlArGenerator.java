package io.scrapeguard.core.gpu;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
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
 * arrays are kept skewed, one tensor per anti-diagonal, col[t][b][c][r] = x[b][c][r][t - r]: step t
 * stacks eight row-shifted slices of columns t-4..t-1, multiplies them by the per-image
 * coefficients, sums, and masks the rows that are real pixels. H + W + 7 steps of a few tensor
 * operations replace (H+2)(W+2) sequential ones.
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
            throw new IllegalArgumentException(
                    "data type must be float32 or float64, got " + dataType);
        }
        this.dataType = dataType;
        this.manager = NDManager.newBaseManager(device, Accelerators.ENGINE);
    }

    /** A GPU when {@link Accelerators} finds one (float32), else the CPU (float64). */
    public static DjlArGenerator create(ProcessBank bank) {
        Device device = Accelerators.preferredDevice();
        return new DjlArGenerator(
                bank, device, device.isGpu() ? DataType.FLOAT32 : DataType.FLOAT64);
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
    public double[][] generateRaw(
            int[] classes, GaussianSource[] sources, int height, int width, int channels) {
        if (classes.length != sources.length) {
            throw new IllegalArgumentException(
                    "classes and sources differ in length: "
                            + classes.length
                            + " vs "
                            + sources.length);
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
        int bc = batch * channels;
        // skewed start, column-major in t: start[t][b][c][r] = x[b][c][r][t - r]; border values
        // only
        double[] start = new double[ts * bc * rs];
        for (int b = 0; b < batch; b++) {
            double[][] d = ArGenerator.borderDraws(height, width, channels, sources[b]);
            for (int c = 0; c < channels; c++) {
                int i = 0;
                for (int r = 0; r < rs; r++) {
                    int end = r < 2 ? cs : 2;
                    for (int s = 0; s < end; s++) {
                        start[((r + s) * bc + b * channels + c) * rs + r] = d[c][i++];
                    }
                }
            }
        }
        // taps[q][b*C + c]: coefficient q (row-major, [2][2] excluded) of image b's class, channel
        // c
        double[] coef = new double[8 * bc];
        for (int b = 0; b < batch; b++) {
            ArProcess p = bank.process(classes[b]);
            for (int c = 0; c < channels; c++) {
                for (int q = 0; q < 8; q++) {
                    coef[q * bc + b * channels + c] = p.coefficient(c % 3, q / 3, q % 3);
                }
            }
        }
        // mask[t][r] = 1 where (r, t - r) is a generated pixel: 2 <= r < rs and 2 <= t - r < cs
        double[] mask = new double[ts * (rs - 2)];
        for (int t = 0; t < ts; t++) {
            for (int r = 2; r < rs; r++) {
                int s = t - r;
                mask[t * (rs - 2) + r - 2] = s >= 2 && s < cs ? 1 : 0;
            }
        }
        double[] result;
        try (NDManager m = manager.newSubManager()) {
            NDArray startNd =
                    m.create(start, new Shape(ts, batch, channels, rs)).toType(dataType, false);
            NDArray taps = m.create(coef, new Shape(8, batch, channels, 1)).toType(dataType, false);
            NDArray maskNd = m.create(mask, new Shape(ts, 1, 1, rs - 2)).toType(dataType, false);
            NDList columns = new NDList(ts);
            for (int t = 0; t < ts; t++) {
                NDArray col = startNd.get(t);
                if (t >= 4) {
                    // rows 2..rs-1 of anti-diagonal t from the four previous ones, all images at
                    // once
                    NDList terms = new NDList(8);
                    for (int q = 0; q < 8; q++) {
                        int u = q / 3;
                        int v = q % 3;
                        terms.add(
                                columns.get(t - 4 + u + v)
                                        .get(new NDIndex(":, :, {}:{}", u, rs - 2 + u)));
                    }
                    NDArray sum = NDArrays.stack(terms).mul(taps).sum(new int[] {0});
                    NDArray gen = sum.mul(maskNd.get(t)).add(col.get(new NDIndex(":, :, 2:")));
                    col = col.get(new NDIndex(":, :, :2")).concat(gen, 2);
                }
                columns.add(col);
            }
            result = NDArrays.stack(columns).toType(DataType.FLOAT64, false).toDoubleArray();
        }
        // unskew the kept region into HWC
        double[][] out = new double[batch][height * width * channels];
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < channels; c++) {
                for (int yy = 0; yy < height; yy++) {
                    int r = yy + 4;
                    for (int xx = 0; xx < width; xx++) {
                        int t = r + xx + 4;
                        out[b][(yy * width + xx) * channels + c] =
                                result[(t * bc + b * channels + c) * rs + r];
                    }
                }
            }
        }
        return out;
    }

    /** Budget-scaled perturbations of a batch of images, seeded like the Java path. */
    public List<Perturbation> generate(
            int[] classes,
            String[] imageIds,
            ImageSeeds seeds,
            Budget budget,
            int height,
            int width,
            int channels) {
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
