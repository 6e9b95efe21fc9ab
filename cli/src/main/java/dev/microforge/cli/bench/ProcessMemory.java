package dev.microforge.cli.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;

/** Memory figures of this JVM, read by the child at the end of a case. */
final class ProcessMemory {
    private static final double MIB = 1024.0 * 1024.0;

    private ProcessMemory() {
    }

    /**
     * Peak resident set size of this process ({@code VmHWM} of {@code /proc/self/status}) in MiB; empty where there
     * is no {@code /proc} (not Linux).
     */
    static OptionalDouble peakRssMiB() {
        return procStatusKiB(Path.of("/proc/self/status"), "VmHWM:").stream().map(kib -> kib / 1024.0).findFirst();
    }

    /** A {@code kB} field of a {@code /proc/.../status} or {@code /proc/meminfo} file, in KiB. */
    static OptionalDouble procStatusKiB(Path file, String field) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
            for (String line : lines) {
                if (line.startsWith(field)) {
                    String[] words = line.substring(field.length()).trim().split("\\s+");
                    return OptionalDouble.of(Double.parseDouble(words[0]));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or a field we cannot parse: the figure is unknown
        }
        return OptionalDouble.empty();
    }

    /**
     * The heap's peak use in MiB: the sum of the peak use of each heap pool (eden, survivor, old). The pools peak at
     * different moments, so this is an upper bound of the true peak, never an underestimate.
     */
    static double heapPeakMiB() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum / MIB;
    }

    /** The heap limit ({@code -Xmx}, as the JVM reports it) in MiB. */
    static double heapLimitMiB() {
        return Runtime.getRuntime().maxMemory() / MIB;
    }
}
