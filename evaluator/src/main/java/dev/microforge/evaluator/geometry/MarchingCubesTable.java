package dev.microforge.evaluator.geometry;

import java.util.ArrayList;
import java.util.List;

/**
 * The 256-case marching-cubes triangle table (Lorensen and Cline, Computer Graphics 21(4) (1987) 163), built at
 * class load from the cube's face rules instead of typed in, so that every case is derived the same way.
 *
 * <p>Numbering is the classic one. Corner {@code i} of the cell whose low corner is voxel {@code (x, y, z)}:
 * 0 (0,0,0), 1 (1,0,0), 2 (1,1,0), 3 (0,1,0), 4 (0,0,1), 5 (1,0,1), 6 (1,1,1), 7 (0,1,1); bit {@code i} of the case
 * index is set when corner {@code i} is inside the phase. Edges: 0 (0-1), 1 (1-2), 2 (2-3), 3 (3-0), 4 (4-5),
 * 5 (5-6), 6 (6-7), 7 (7-4), 8 (0-4), 9 (1-5), 10 (2-6), 11 (3-7); with binary data and iso-value 0.5 each
 * surface vertex lies at an edge midpoint.
 *
 * <p>Derivation: on each of the six faces, walking its corners counter-clockwise as seen from outside the cube,
 * every run of inside corners is cut off by one segment from the edge where the walk enters the inside to the edge
 * where it leaves. A face whose two inside corners are diagonal therefore gets two segments (inside corners kept
 * apart, i.e. the phase is face-connected only, the resolution of the face ambiguity that the classic table also
 * uses for its "positive" corners). Each crossed edge is shared by two faces which traverse it in opposite
 * directions, so the segments link into closed directed loops; each loop is one polygon, fan-triangulated from its
 * first vertex. Because a face's segments depend on that face's corners only, neighbouring cells agree and the
 * surface is closed (no holes from the ambiguous cases, unlike some published tables). Winding is consistent
 * across all cases.
 */
final class MarchingCubesTable {
    /** Corner coordinates (x, y, z) in cell units. */
    static final int[][] CORNERS = {
        {0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 1}, {1, 1, 1}, {0, 1, 1}};
    /** Corner pairs of the 12 edges. */
    static final int[][] EDGES = {
        {0, 1}, {1, 2}, {2, 3}, {3, 0}, {4, 5}, {5, 6}, {6, 7}, {7, 4}, {0, 4}, {1, 5}, {2, 6}, {3, 7}};
    /** Corner loops of the six faces with their outward normals. */
    private static final int[][] FACES = {
        {0, 3, 2, 1}, {4, 5, 6, 7}, {0, 1, 5, 4}, {3, 7, 6, 2}, {0, 4, 7, 3}, {1, 2, 6, 5}};
    private static final int[][] NORMALS = {{0, 0, -1}, {0, 0, 1}, {0, -1, 0}, {0, 1, 0}, {-1, 0, 0}, {1, 0, 0}};

    /** {@code TRIANGLES[c]}: edge indices, three per triangle, of case {@code c}. */
    static final int[][] TRIANGLES = new int[256][];

    static {
        int[][] faces = orientedFaces();
        for (int c = 0; c < 256; c++) {
            TRIANGLES[c] = triangulate(c, faces);
        }
    }

    private MarchingCubesTable() {
    }

    /** Face loops reordered, where needed, to run counter-clockwise seen from outside. */
    private static int[][] orientedFaces() {
        int[][] out = new int[6][];
        for (int f = 0; f < 6; f++) {
            int[] a = CORNERS[FACES[f][0]];
            int[] b = CORNERS[FACES[f][1]];
            int[] d = CORNERS[FACES[f][2]];
            int[] u = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
            int[] v = {d[0] - b[0], d[1] - b[1], d[2] - b[2]};
            int[] n = {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]};
            int dot = n[0] * NORMALS[f][0] + n[1] * NORMALS[f][1] + n[2] * NORMALS[f][2];
            int[] loop = FACES[f].clone();
            if (dot < 0) {
                for (int i = 0; i < 2; i++) {
                    int t = loop[i + 1];
                    loop[i + 1] = loop[3 - i];
                    loop[3 - i] = t;
                }
                // loop is now {0th, 3rd, 2nd, 1st}
            }
            out[f] = loop;
        }
        return out;
    }

    static int edgeOf(int a, int b) {
        for (int e = 0; e < 12; e++) {
            if ((EDGES[e][0] == a && EDGES[e][1] == b) || (EDGES[e][0] == b && EDGES[e][1] == a)) {
                return e;
            }
        }
        throw new IllegalStateException("corners " + a + " and " + b + " share no edge");
    }

    private static int[] triangulate(int c, int[][] faces) {
        int[] next = new int[12];
        java.util.Arrays.fill(next, -1);
        for (int[] loop : faces) {
            // walk the face; a segment starts where the walk enters the inside and ends where it leaves
            int start = -1;
            int first = -1;
            for (int k = 0; k < 4; k++) {
                int a = loop[k];
                int b = loop[(k + 1) % 4];
                boolean ina = (c >> a & 1) == 1;
                boolean inb = (c >> b & 1) == 1;
                if (ina == inb) {
                    continue;
                }
                int e = edgeOf(a, b);
                if (!ina) {
                    start = e;
                } else if (start >= 0) {
                    next[start] = e;
                    start = -1;
                } else {
                    first = e; // leaves before any entry: closes with the entry found later in the walk
                }
            }
            if (start >= 0) {
                next[start] = first;
            }
        }
        List<Integer> tris = new ArrayList<>();
        boolean[] used = new boolean[12];
        for (int e0 = 0; e0 < 12; e0++) {
            if (next[e0] < 0 || used[e0]) {
                continue;
            }
            List<Integer> polygon = new ArrayList<>();
            for (int e = e0; !used[e]; e = next[e]) {
                used[e] = true;
                polygon.add(e);
            }
            for (int i = 1; i + 1 < polygon.size(); i++) {
                tris.add(polygon.get(0));
                tris.add(polygon.get(i));
                tris.add(polygon.get(i + 1));
            }
        }
        return tris.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Surface area of each case with edge-midpoint vertices in a cell of edges {@code dx, dy, dz}.
     *
     * @return 256 areas, in the square of the edges' unit
     */
    static double[] caseAreas(double dx, double dy, double dz) {
        double[][] mid = new double[12][3];
        for (int e = 0; e < 12; e++) {
            int[] a = CORNERS[EDGES[e][0]];
            int[] b = CORNERS[EDGES[e][1]];
            mid[e][0] = 0.5 * (a[0] + b[0]) * dx;
            mid[e][1] = 0.5 * (a[1] + b[1]) * dy;
            mid[e][2] = 0.5 * (a[2] + b[2]) * dz;
        }
        double[] areas = new double[256];
        for (int c = 0; c < 256; c++) {
            int[] t = TRIANGLES[c];
            double sum = 0;
            for (int i = 0; i < t.length; i += 3) {
                sum += triangleArea(mid[t[i]], mid[t[i + 1]], mid[t[i + 2]]);
            }
            areas[c] = sum;
        }
        return areas;
    }

    /** Area of the triangle p, q, r: half the norm of (q - p) x (r - p). */
    static double triangleArea(double[] p, double[] q, double[] r) {
        double ux = q[0] - p[0];
        double uy = q[1] - p[1];
        double uz = q[2] - p[2];
        double vx = r[0] - p[0];
        double vy = r[1] - p[1];
        double vz = r[2] - p[2];
        double cx = uy * vz - uz * vy;
        double cy = uz * vx - ux * vz;
        double cz = ux * vy - uy * vx;
        return 0.5 * Math.sqrt(cx * cx + cy * cy + cz * cz);
    }
}
