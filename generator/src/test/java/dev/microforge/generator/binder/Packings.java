package dev.microforge.generator.binder;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VolumeBuilder;
import java.util.SplittableRandom;

/** Test inputs: sphere packings made in-test (0 = pore, 1 = active). */
final class Packings {
    private Packings() {
    }

    /** Random overlapping spheres of radius {@code radius} until the active fraction reaches {@code solid}. */
    static Volume spheres(int size, double radius, double solid, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        VolumeBuilder b = VolumeBuilder.create(size, size, size);
        byte[] a = b.array();
        long target = Math.round(solid * a.length);
        long count = 0;
        int r = (int) Math.ceil(radius);
        while (count < target) {
            double cx = random.nextDouble() * size;
            double cy = random.nextDouble() * size;
            double cz = random.nextDouble() * size;
            for (int z = Math.max(0, (int) cz - r); z <= Math.min(size - 1, (int) cz + r); z++) {
                for (int y = Math.max(0, (int) cy - r); y <= Math.min(size - 1, (int) cy + r); y++) {
                    for (int x = Math.max(0, (int) cx - r); x <= Math.min(size - 1, (int) cx + r); x++) {
                        double dx = x + 0.5 - cx;
                        double dy = y + 0.5 - cy;
                        double dz = z + 0.5 - cz;
                        int i = x + size * (y + size * z);
                        if (a[i] == 0 && dx * dx + dy * dy + dz * dz <= radius * radius) {
                            a[i] = 1;
                            count++;
                        }
                    }
                }
            }
        }
        return b.build();
    }

    /** Two spheres of radius r touching at the volume centre along x, in an n x m x m box. */
    static Volume twoTouchingSpheres(int n, int m, double radius) {
        double c = n / 2.0;
        double cy = m / 2.0;
        return Volume.generate(n, m, m, (x, y, z) -> {
            double px = x + 0.5;
            double py = y + 0.5 - cy;
            double pz = z + 0.5 - cy;
            double d1 = (px - (c - radius)) * (px - (c - radius)) + py * py + pz * pz;
            double d2 = (px - (c + radius)) * (px - (c + radius)) + py * py + pz * pz;
            return d1 <= radius * radius || d2 <= radius * radius ? 1 : 0;
        });
    }
}
