package io.scrapeguard.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * K AR processes, one per protection class, stored as JSON in the shape of the paper's file: {@code
 * {"processes": [K][3][3][3], ...}}. The bank is secret material: its {@link #fingerprint()} (a
 * short hash) identifies a version and is safe to publish; the coefficients are not.
 */
public final class ProcessBank {
    static final String DEFAULT_RESOURCE = "ar-processes-cifar10.json";
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final List<ArProcess> processes;
    private final String fingerprint;

    public ProcessBank(List<ArProcess> processes) {
        if (processes == null || processes.isEmpty()) {
            throw new IllegalArgumentException("a process bank needs at least 1 process, got 0");
        }
        this.processes = List.copyOf(processes);
        this.fingerprint = computeFingerprint(canonicalJson(this.processes));
    }

    /** The paper's ten processes (Appendix A.10), the default bank of every command. */
    public static ProcessBank paperDefault() {
        return Holder.PAPER;
    }

    private static final class Holder {
        static final ProcessBank PAPER = loadResource();

        private static ProcessBank loadResource() {
            try (InputStream in = ProcessBank.class.getResourceAsStream(DEFAULT_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + DEFAULT_RESOURCE);
                }
                return fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Loads a bank file; a missing file, bad JSON or wrong shapes give a clear message. */
    public static ProcessBank load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("bank file not found: " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read bank file " + file + ": " + e.getMessage());
        }
        try {
            return fromJson(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bank file " + file + ": " + e.getMessage());
        }
    }

    /** Parses bank JSON; throws {@link IllegalArgumentException} for malformed JSON or shapes. */
    public static ProcessBank fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "malformed bank JSON: " + e.getOriginalMessage().replace('\n', ' '));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(
                    "bank JSON must be an object with a \"processes\" array");
        }
        JsonNode list = root.get("processes");
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException(
                    "bank JSON needs \"processes\": an array of [3][3][3] coefficient windows");
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException("bank JSON has no processes");
        }
        ArProcess[] out = new ArProcess[list.size()];
        for (int k = 0; k < list.size(); k++) {
            out[k] = new ArProcess(windows(list.get(k), k));
        }
        return new ProcessBank(List.of(out));
    }

    private static double[][][] windows(JsonNode node, int k) {
        String where = "process " + k;
        double[][][] w = new double[shape(node, where, 3)][][];
        for (int c = 0; c < w.length; c++) {
            JsonNode ch = node.get(c);
            w[c] = new double[shape(ch, where + " channel " + c, 3)][];
            for (int u = 0; u < w[c].length; u++) {
                JsonNode row = ch.get(u);
                String rw = where + " channel " + c + " row " + u;
                w[c][u] = new double[shape(row, rw, 3)];
                for (int v = 0; v < w[c][u].length; v++) {
                    JsonNode x = row.get(v);
                    if (!x.isNumber()) {
                        throw new IllegalArgumentException(
                                rw + " entry " + v + " is not a number: " + x);
                    }
                    w[c][u][v] = x.doubleValue();
                }
            }
        }
        return ArProcess.validated(w, where);
    }

    private static int shape(JsonNode node, String where, int expected) {
        if (node == null || !node.isArray()) {
            throw new IllegalArgumentException(
                    where
                            + " must be an array of "
                            + expected
                            + ", got "
                            + (node == null
                                    ? "nothing"
                                    : node.getNodeType().toString().toLowerCase()));
        }
        if (node.size() != expected) {
            throw new IllegalArgumentException(
                    where
                            + " must have "
                            + expected
                            + " entries, got "
                            + node.size()
                            + " (expected shape [K][3][3][3])");
        }
        return expected;
    }

    /** Writes the bank (with its fingerprint, for people) as JSON. */
    public void save(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, toJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write bank file " + file, e);
        }
    }

    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put(
                "description",
                "ScrapeGuard AR process bank: processes[k][c] is the 3x3 window of"
                        + " AR(8) coefficients of class k, channel c; entry [2][2] is 0.");
        root.put("window", 3);
        root.put("order", 8);
        root.put("fingerprint", fingerprint);
        ArrayNode list = root.putArray("processes");
        for (ArProcess p : processes) {
            ArrayNode pn = list.addArray();
            for (int c = 0; c < ArProcess.CHANNELS; c++) {
                ArrayNode cn = pn.addArray();
                for (int u = 0; u < 3; u++) {
                    ArrayNode rn = cn.addArray();
                    for (int v = 0; v < 3; v++) {
                        rn.add(p.coefficient(c, u, v));
                    }
                }
            }
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Number of processes K = number of protection classes. */
    public int size() {
        return processes.size();
    }

    public ArProcess process(int k) {
        if (k < 0 || k >= processes.size()) {
            throw new IllegalArgumentException(
                    "class "
                            + k
                            + " is outside the bank's "
                            + processes.size()
                            + " classes (0.."
                            + (processes.size() - 1)
                            + ")");
        }
        return processes.get(k);
    }

    public List<ArProcess> processes() {
        return processes;
    }

    /**
     * A short, non-secret version id: the first 12 hex digits of SHA-256 over the canonical JSON of
     * the coefficients. Safe to publish in headers and reports.
     */
    public String fingerprint() {
        return fingerprint;
    }

    static String canonicalJson(List<ArProcess> ps) {
        StringBuilder sb = new StringBuilder("{\"processes\":[");
        for (int k = 0; k < ps.size(); k++) {
            sb.append(k == 0 ? "[" : ",[");
            for (int c = 0; c < 3; c++) {
                sb.append(c == 0 ? "[" : ",[");
                for (int u = 0; u < 3; u++) {
                    sb.append(u == 0 ? "[" : ",[");
                    for (int v = 0; v < 3; v++) {
                        if (v > 0) {
                            sb.append(',');
                        }
                        sb.append(Double.toString(ps.get(k).coefficient(c, u, v)));
                    }
                    sb.append(']');
                }
                sb.append(']');
            }
            sb.append(']');
        }
        return sb.append("]}").toString();
    }

    private static String computeFingerprint(String canonical) {
        try {
            byte[] h =
                    MessageDigest.getInstance("SHA-256")
                            .digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProcessBank b && processes.equals(b.processes);
    }

    @Override
    public int hashCode() {
        return processes.hashCode();
    }

    @Override
    public String toString() {
        return "ProcessBank(" + processes.size() + " processes, fingerprint " + fingerprint + ")";
    }
}
