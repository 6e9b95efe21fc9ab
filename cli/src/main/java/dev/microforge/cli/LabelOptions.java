package dev.microforge.cli;

import dev.microforge.datasets.io.LabelConversion;
import picocli.CommandLine.Option;

/**
 * How a command turns the samples of a file into phase labels: {@code --map} (explicit value map), {@code --otsu}
 * (thresholding of greyscale) or, by default, the values themselves.
 */
final class LabelOptions {
    @Option(names = "--map", paramLabel = "VALUE:LABEL,...",
            description = "Map sample values to labels, e.g. 0:0,128:1,255:2 (a value with no entry is an error).")
    String map;

    @Option(names = "--otsu", paramLabel = "K",
            description = "Threshold greyscale into K phases (2, 3 or 4) by multi-level Otsu; labels 0..K-1 in order "
                    + "of intensity.")
    Integer otsu;

    /**
     * The conversion the options ask for.
     *
     * @throws IllegalArgumentException when both are given, or one is malformed
     */
    LabelConversion conversion() {
        if (map != null && otsu != null) {
            throw new IllegalArgumentException("--map and --otsu cannot be used together: --map gives the labels "
                    + "of each value, --otsu finds them by thresholding; give one of them");
        }
        if (map != null) {
            return LabelConversion.parseMap(map);
        }
        if (otsu != null) {
            return LabelConversion.otsu(otsu);
        }
        return LabelConversion.direct();
    }
}
