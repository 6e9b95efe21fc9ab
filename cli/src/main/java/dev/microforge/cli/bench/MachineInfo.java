package dev.microforge.cli.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * The machine a benchmark ran on, for {@code "machine"} of {@code bench --json}.
 *
 * @param cores processors available to the JVM
 * @param memoryGiB physical memory ({@code MemTotal} of {@code /proc/meminfo}), one decimal; null where unknown
 * @param java version and VM, e.g. {@code 17.0.15 (OpenJDK 64-Bit Server VM)}
 * @param cpu processor model ({@code /proc/cpuinfo}); left out where unknown
 * @param os operating system and architecture
 */
public record MachineInfo(int cores, Double memoryGiB, String java,
        @JsonInclude(JsonInclude.Include.NON_NULL) String cpu, String os) {

    /** This machine. */
    public static MachineInfo current() {
        OptionalDouble kib = ProcessMemory.procStatusKiB(Path.of("/proc/meminfo"), "MemTotal:");
        Double gib = kib.isPresent() ? Math.round(kib.getAsDouble() / (1024.0 * 1024.0) * 10) / 10.0 : null;
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), gib,
                System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")", cpuModel(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    int colon = line.indexOf(':');
                    String model = colon < 0 ? "" : line.substring(colon + 1).trim().replaceAll("\\s+", " ");
                    return model.isEmpty() ? null : model;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc/cpuinfo: unknown
        }
        return null;
    }
}
