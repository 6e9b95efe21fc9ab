package dev.microforge.optimizer.objective;

import java.util.Locale;

/**
 * The properties a campaign can optimise or constrain, each computed by the physics evaluator. Names are those of
 * the campaign file.
 */
public enum Property {
    /** Tortuosity factor {@code tau = eps D0 / Deff} of a phase along an axis ({@code Tortuosity}); +Inf when the
     * phase does not join the two faces. */
    TORTUOSITY("tortuosity", true, true),
    /** Relative effective diffusivity {@code Deff / D0} of a phase along an axis. */
    EFFECTIVE_DIFFUSIVITY("effectiveDiffusivity", true, true),
    /** MacMullin number {@code tau / eps} of a phase along an axis. */
    MAC_MULLIN("macMullin", true, true),
    /** Volume fraction of a phase ({@code VolumeFractions}). */
    VOLUME_FRACTION("volumeFraction", true, false),
    /** Specific surface area of a phase, 1/um when the voxel size is known, else 1/voxel ({@code SurfaceArea},
     * smoothed marching cubes). */
    SURFACE_AREA("surfaceArea", true, false),
    /** Effective conductivity along an axis for a conductivity per phase ({@code EffectiveConductivity}), in the
     * unit of the given conductivities. */
    EFFECTIVE_CONDUCTIVITY("effectiveConductivity", false, true);

    private final String key;
    private final boolean needsPhase;
    private final boolean needsAxis;

    Property(String key, boolean needsPhase, boolean needsAxis) {
        this.key = key;
        this.needsPhase = needsPhase;
        this.needsAxis = needsAxis;
    }

    /** The name in the campaign file. */
    public String key() {
        return key;
    }

    public boolean needsPhase() {
        return needsPhase;
    }

    public boolean needsAxis() {
        return needsAxis;
    }

    /** Whether it takes a transport solve. */
    public boolean isTransport() {
        return needsAxis;
    }

    /**
     * The property named {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException listing the known names
     */
    public static Property parse(String name) {
        for (Property p : values()) {
            if (p.key.equalsIgnoreCase(name == null ? "" : name.trim())) {
                return p;
            }
        }
        StringBuilder known = new StringBuilder();
        for (Property p : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(p.key);
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT, "unknown property '%s'; one of %s", name,
                known));
    }
}
