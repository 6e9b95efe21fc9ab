package dev.microforge.cli;

import dev.microforge.datasets.VoxelSize;
import picocli.CommandLine;

/** Reads {@code --voxel-size 0.4} or {@code --voxel-size 0.4,0.4,0.5} (micrometres). */
final class VoxelSizeConverter implements CommandLine.ITypeConverter<VoxelSize> {
    @Override
    public VoxelSize convert(String value) {
        try {
            return VoxelSize.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
