package dev.microforge.models.surrogate;

import dev.microforge.datasets.Volume;
import java.util.Arrays;

/**
 * Minimum cut of a phase set between the two faces of an axis: the fewest voxel faces inside the set whose removal
 * disconnects the inlet face ({@code c = 0}) from the outlet face ({@code c = n - 1}), found as the maximum flow
 * with unit capacity per face (max-flow min-cut theorem; Ford and Fulkerson, Can. J. Math. 8 (1956) 399). It is the
 * narrowest cross-section through which all transport in the phase must pass, wherever it lies and whatever its
 * shape: a solid of particles that touch at small necks conducts through the necks of its weakest "layer", which no
 * plane section, geodesic path length or single bottleneck radius ({@link CriticalRadius}) measures. On 600 labelled
 * designs {@code ln tau} of the solid follows {@code ln phi - ln(cut / n²)} where the other descriptors failed
 * (README, "Minimum cut").
 *
 * <p>Coarse-grained: the voxels are grouped in {@code block³} blocks (2 for the surrogate; edge blocks of an edge that
 * {@code block} does not divide are partial), each block's set voxels one node, an edge between adjacent blocks with
 * capacity the number of set-set voxel faces across their common boundary; faces inside a block are not cut. This is
 * the voxel graph with each block's voxels contracted, so the value is an upper bound of the voxel-level cut that
 * equals it when the narrowest section runs between blocks (a full cube: {@code n²}; single-voxel necks across a
 * block boundary: one each); on the 600 designs the 2×2×2 cut and the voxel cut correlate at 0.985 in logarithm
 * (SciPy 1.17 {@code maximum_flow} on both graphs, 60 designs), and this class agrees with SciPy's 2×2×2 cut on all
 * 1,800 axes. The blocks holding set voxels on the inlet (outlet) face are the sources (sinks), as the voxel graph's
 * source joins the inlet face's voxels. {@code block = 1} is the voxel graph itself.
 *
 * <p>Flow: passes of depth-first blocking searches first, then the Boykov-Kolmogorov algorithm ({@link
 * Graph#maxFlow}) for what they missed; integer capacities, so the value is exact. A cap stops it once the flow
 * reaches a given value: the surrogate caps at {@code n² / 8} faces, above which the solid conducts well and the
 * value tells a linear model little more (offline held-out R² of ln tau solid within 0.002 of the uncapped cut's at
 * 512 faces of 4096), and which bounds the time (capped, three axes of a 64³ design: mean 24, median 21, p99 73 ms
 * on the 600 designs, 2-core Xeon). Memory: about {@code 90 (n / block + 2)³} bytes per axis.
 */
final class MinimumCut {

    /** The value (in faces) given to an axis whose faces the set does not connect: half a face. */
    static final double UNCONNECTED = 0.5;
    /** Edge of the blocks of the surrogate's cuts, in voxels. */
    static final int BLOCK = 2;
    /** The surrogate's cap, as a fraction of the cross-section's faces. */
    static final double CAP = 1.0 / 8;

    private MinimumCut() {
    }

    /**
     * The solid's (every label but 0) minimum cut along x, y and z of 2×2×2 blocks, capped at {@link #CAP} of the
     * cross-section, per face of the cross-section.
     *
     * @param volume a cube of edge at least 2
     * @return {@code [x, y, z]}: {@code min(cut, CAP n²) / n²}, {@link #UNCONNECTED} {@code / n²} where the solid does
     *     not join the faces
     */
    static double[] solid(Volume volume) {
        SolidCuts cuts = new SolidCuts(volume);
        return new double[] {cuts.along(0), cuts.along(1), cuts.along(2)};
    }

    /**
     * The three values of {@link #solid}, one axis at a time, on one block graph built by the first axis that needs
     * it: the axes can run on different threads (each flow works on its own copy of the capacities).
     */
    static final class SolidCuts {
        private final Volume volume;
        private Graph graph;

        SolidCuts(Volume volume) {
            this.volume = volume;
        }

        private synchronized Graph graph() {
            if (graph == null) {
                int n = SurrogateInput.cubeEdge(volume);
                // (a 2³ input, which the architecture allows, has no two blocks of 2 along an axis: voxels then)
                graph = BLOCK == 2 && n > 2 && BitRows.fits(n)
                        ? new Graph(BitRows.alongX(volume.toArray(), n, GeodesicTortuosity.SOLID))
                        : new Graph(volume.toArray(), n, GeodesicTortuosity.SOLID, n > BLOCK ? BLOCK : 1);
            }
            return graph;
        }

        /** The value of {@link #solid} along axis {@code a} (0, 1, 2 for x, y, z). */
        double along(int a) {
            int n = SurrogateInput.cubeEdge(volume);
            double faces = (double) n * n;
            long cap = Math.max(1, Math.round(CAP * faces));
            long cut = Math.min(graph().maxFlow(a, cap), cap);
            return (cut == 0 ? UNCONNECTED : cut) / faces;
        }
    }

    /**
     * The minimum cut, in voxel faces, of the voxels whose label is in {@code set} between the faces of an axis, on
     * the graph of {@code block³} blocks.
     *
     * @param labels a cube of edge {@code n} (index {@code x + n (y + n z)}), labels read unsigned
     * @param n edge, above {@code block}
     * @param set {@code set[label]} is true for the labels of the phase set (length 256)
     * @param axis 0, 1, 2 for x, y, z
     * @param block edge of the blocks, 1 for the voxel graph
     * @return the cut, 0 when the set does not join the faces
     */
    static long of(byte[] labels, int n, boolean[] set, int axis, int block) {
        if (axis < 0 || axis > 2) {
            throw new IllegalArgumentException("axis must be 0, 1 or 2, got " + axis);
        }
        return new Graph(labels, n, set, block).maxFlow(axis);
    }

    /**
     * The block graph: {@code m = ceil(n / block)} blocks per axis in a bordered grid of edge {@code m + 2} (the border
     * has no capacity, so no step needs a bounds check); capacities per node and direction {@code +x, -x, +y, -y,
     * +z, -z} (a direction's reverse is {@code d ^ 1}).
     */
    static final class Graph {
        final int m;
        final int edge;
        final int[] step;
        /** Capacities of the undirected block graph, {@code [node * 6 + direction]}. */
        final int[] capacity;
        /** Bits 2a and 2a+1 per node: the block holds set voxels on the inlet, the outlet face of axis a. */
        final byte[] faces;

        Graph(byte[] labels, int n, boolean[] set, int block) {
            if (block < 1) {
                throw new IllegalArgumentException("blocks must be at least 1 voxel, got " + block);
            }
            if (n <= block) {
                throw new IllegalArgumentException("a minimum cut of " + block + "-voxel blocks needs an edge above "
                        + block + " voxels, got " + n);
            }
            if (labels.length != n * n * n) {
                throw new IllegalArgumentException("expected " + n * n * n + " labels, got " + labels.length);
            }
            this.m = (n + block - 1) / block;
            this.edge = m + 2;
            int plane = edge * edge;
            this.step = new int[] {1, -1, edge, -edge, plane, -plane};
            this.capacity = new int[edge * plane * 6];
            this.faces = new byte[edge * plane];
            for (int z = 0; z < n; z++) {
                for (int y = 0; y < n; y++) {
                    int row = n * (y + n * z);
                    int blockRow = 1 + edge * (y / block + 1 + edge * (z / block + 1));
                    for (int x = 0; x < n; x++) {
                        if (!set[labels[row + x] & 0xFF]) {
                            continue;
                        }
                        int b = blockRow + x / block;
                        faces[b] |= (byte) (faceBits(x, n) | faceBits(y, n) << 2 | faceBits(z, n) << 4);
                        // a face to the next voxel along an axis crosses into the next block from a block's last layer
                        if (x % block == block - 1 && x + 1 < n && set[labels[row + x + 1] & 0xFF]) {
                            join(b, 0);
                        }
                        if (y % block == block - 1 && y + 1 < n && set[labels[row + x + n] & 0xFF]) {
                            join(b, 2);
                        }
                        if (z % block == block - 1 && z + 1 < n && set[labels[row + x + n * n] & 0xFF]) {
                            join(b, 4);
                        }
                    }
                }
            }
        }

        /** The even bits of a row: the first voxel of each pair, a 2-voxel block's along the row. */
        private static final long FIRSTS = 0x5555555555555555L;

        /**
         * The graph of 2×2×2 blocks of a set held in {@link BitRows} along x (edges 3 to 64): the same capacities and
         * faces as {@link #Graph(byte[], int, boolean[], int)} with {@code block} 2, counted 64 voxels at a time (a
         * row's faces into the next block are the set bits of the row and-ed with the next row, or with itself
         * shifted for x, counted per pair of bits); the same graphs on all 600 labelled 64³ designs, in half the
         * time.
         *
         * @param set a set along x of a cube of edge 3 to 64
         */
        Graph(BitRows set) {
            int n = set.n();
            if (set.along() != BitRows.ALONG_X || n <= 2) {
                throw new IllegalArgumentException("a block graph from bit rows needs rows along x and an edge above 2, "
                        + "got " + (set.along() == BitRows.ALONG_X ? "edge " + n : "rows along y"));
            }
            this.m = (n + 1) / 2;
            this.edge = m + 2;
            int plane = edge * edge;
            this.step = new int[] {1, -1, edge, -edge, plane, -plane};
            this.capacity = new int[edge * plane * 6];
            this.faces = new byte[edge * plane];
            long[] rows = set.rows();
            for (int z = 0; z < n; z++) {
                for (int y = 0; y < n; y++) {
                    long r = rows[set.row(y, z)];
                    if (r == 0) {
                        continue;
                    }
                    int blockRow = 1 + edge * (y / 2 + 1 + edge * (z / 2 + 1));
                    faces[blockRow] |= (byte) (r & 1); // x = 0: the inlet of x
                    faces[blockRow + (n - 1) / 2] |= (byte) ((r >>> (n - 1) & 1) << 1);
                    int sides = faceBits(y, n) << 2 | faceBits(z, n) << 4;
                    if (sides != 0) {
                        for (long t = r; t != 0; t &= t - 1) {
                            faces[blockRow + Long.numberOfTrailingZeros(t) / 2] |= (byte) sides;
                        }
                    }
                    // +x: an odd x (a block's last) and x + 1 both in the set
                    for (long t = r & r >>> 1 & ~FIRSTS; t != 0; t &= t - 1) {
                        capacity[(blockRow + Long.numberOfTrailingZeros(t) / 2) * 6]++;
                    }
                    if (y % 2 == 1 && y + 1 < n) {
                        addPairs(r & rows[set.row(y + 1, z)], blockRow, 2);
                    }
                    if (z % 2 == 1 && z + 1 < n) {
                        addPairs(r & rows[set.row(y, z + 1)], blockRow, 4);
                    }
                }
            }
            // each edge's capacity in the other direction
            for (int bz = 1; bz <= m; bz++) {
                for (int by = 1; by <= m; by++) {
                    for (int b = 1 + edge * (by + edge * bz), end = b + m; b < end; b++) {
                        for (int d = 0; d < 6; d += 2) {
                            capacity[(b + step[d]) * 6 + (d ^ 1)] = capacity[b * 6 + d];
                        }
                    }
                }
            }
        }

        /** Adds the faces {@code faces} (bits of a row, one per voxel) to the edges of the row's blocks along d. */
        private void addPairs(long faces, int blockRow, int d) {
            long counts = (faces & FIRSTS) + (faces >>> 1 & FIRSTS); // 0, 1 or 2 per pair of bits
            while (counts != 0) {
                int j = Long.numberOfTrailingZeros(counts) >>> 1;
                capacity[(blockRow + j) * 6 + d] += (int) (counts >>> 2 * j & 3);
                counts &= ~(3L << 2 * j);
            }
        }

        /** Bit 0: coordinate {@code c} lies on the inlet face; bit 1: on the outlet face. */
        private static int faceBits(int c, int n) {
            return (c == 0 ? 1 : 0) | (c == n - 1 ? 2 : 0);
        }

        /**
         * The residual capacity that tree {@code t} can grow along, on the edge from {@code u} (nearer its root) to
         * {@code u + step[d]}: the flow direction away from the source, toward the sink.
         */
        private int toward(int[] residual, byte t, int u, int d) {
            return t == SOURCE ? residual[u * 6 + d] : residual[(u + step[d]) * 6 + (d ^ 1)];
        }

        private void join(int b, int d) {
            capacity[b * 6 + d]++;
            capacity[(b + step[d]) * 6 + (d ^ 1)]++;
        }

        /** Whether node {@code b} is a source (inlet) or sink (outlet) of axis {@code a}. */
        private boolean on(int b, int a, int side) {
            return (faces[b] & (side << (2 * a))) != 0;
        }

        /** Search trees of {@link #maxFlow}. */
        private static final byte FREE = 0;
        private static final byte SOURCE = 1;
        private static final byte SINK = 2;
        /** {@code parent} of a tree's root (a node on the inlet or outlet face) and of an orphan. */
        private static final byte ROOT = 6;
        private static final byte ORPHAN = 7;

        /**
         * The maximum flow between the faces of {@code axis} (leaves the capacities as they were), by the
         * Boykov-Kolmogorov algorithm (Boykov and Kolmogorov, IEEE TPAMI 26 (2004) 1124): a search tree grows from
         * the inlet nodes and one from the outlet nodes over edges with residual capacity; where they touch, the path
         * through both is augmented; the nodes cut from their tree by saturated edges (orphans) find a new parent in
         * the same tree whose chain reaches a root, or become free; no path when neither tree can grow. The trees are
         * kept between augmentations, which on these graphs made it 3-4 times faster than Dinic's breadth-first
         * phases (25-80 phases of the whole graph per axis). Parents are found with the paper's timestamps and
         * distances.
         */
        long maxFlow(int axis) {
            return maxFlow(axis, Long.MAX_VALUE);
        }

        /**
         * As {@link #maxFlow(int)}, stopping once the flow reaches {@code cap}.
         *
         * @return the maximum flow if below {@code cap}, else a flow of at least {@code cap} (and less than {@code cap}
         *     plus twice the largest capacity of an edge: one push along an edge that carries flow back)
         */
        long maxFlow(int axis, long cap) {
            return maxFlow(axis, cap, true);
        }

        /** As {@link #maxFlow(int, long)}; {@code greedy} false skips the greedy passes (tests of the tree search). */
        long maxFlow(int axis, long cap, boolean greedy) {
            int nodes = faces.length;
            int[] residual = capacity.clone();
            long flow = greedy ? greedyPaths(axis, residual, cap) : 0;
            byte[] tree = new byte[nodes];
            byte[] parent = new byte[nodes];
            int[] time = new int[nodes];
            int[] distance = new int[nodes];
            Ring active = new Ring(nodes);
            Ring orphans = new Ring(nodes);
            int now = 1;
            for (int b = 0; b < nodes; b++) {
                byte t = on(b, axis, 1) ? SOURCE : on(b, axis, 2) ? SINK : FREE;
                if (t != FREE) {
                    tree[b] = t;
                    parent[b] = ROOT;
                    distance[b] = 1;
                    time[b] = now;
                    active.push(b);
                }
            }
            while (!active.isEmpty() && flow < cap) {
                int p = active.peek();
                if (tree[p] == FREE) {
                    active.pop();
                    continue;
                }
                // grow p's tree by one layer of neighbours, or find where it touches the other tree
                int from = -1;
                int dir = -1;
                for (int d = 0; d < 6 && from < 0; d++) {
                    int q = p + step[d];
                    if (toward(residual, tree[p], p, d) == 0) {
                        continue;
                    }
                    if (tree[q] == FREE) {
                        tree[q] = tree[p];
                        parent[q] = (byte) (d ^ 1);
                        time[q] = time[p];
                        distance[q] = distance[p] + 1;
                        active.push(q);
                    } else if (tree[q] != tree[p]) {
                        from = tree[p] == SOURCE ? p : q;
                        dir = tree[p] == SOURCE ? d : d ^ 1;
                    } else if (time[q] <= time[p] && distance[q] > distance[p]) {
                        // a shorter chain to a root through p (the paper's heuristic)
                        parent[q] = (byte) (d ^ 1);
                        time[q] = time[p];
                        distance[q] = distance[p] + 1;
                    }
                }
                if (from < 0) {
                    active.pop();
                    continue;
                }
                now++;
                flow += augment(from, dir, residual, parent, orphans);
                while (!orphans.isEmpty()) {
                    adopt(orphans.pop(), residual, tree, parent, time, distance, now, active, orphans);
                }
                // p stays first in line: it may touch the other tree again
            }
            return flow;
        }

        /**
         * A first flow, in passes over the residual graph; each pass is one depth-first search from the inlet nodes in
         * turn, with a current arc per node as in the blocking flow of Dinic's algorithm (Dinic, Soviet Math. Dokl. 11
         * (1970) 1277) but without its level graph: a node's arcs are tried in the order axis forward, the four
         * sideways, backward, over edges with residual capacity to nodes not entered in the pass (nor inlet nodes);
         * on reaching an outlet node it pushes the path's least residual capacity, then retreats only to the tail of
         * the path's first saturated edge and goes on from there, the nodes beyond it left again (to be entered anew,
         * resuming at their current arc), so one pass finds many paths per inlet node. A node whose arcs are all
         * tried stays entered: dead for the pass. Passes stop when one adds less than {@code 1/GAIN} of the flow (a
         * pass that adds nothing has searched all that the inlet reaches: the flow is maximal), or at the cap; the
         * tree search then adds what they missed. On 100 of the designs (capped) they take 1.7 passes and 380 of the
         * 410 augmenting paths per axis, of some 160 edges; more passes find a few units each, at a whole search of
         * the graph per pass, which the tree search finishes for less.
         */
        /** {@link #greedyPaths} stops after a pass that adds less than 1/GAIN of the flow. */
        private static final int GAIN = 4;

        private long greedyPaths(int axis, int[] residual, long cap) {
            int nodes = faces.length;
            int forward = 2 * axis;
            int side = 2 * ((axis + 1) % 3);
            int other = 2 * ((axis + 2) % 3);
            int[] order = {forward, side, side ^ 1, other, other ^ 1, forward ^ 1};
            boolean[] entered = new boolean[nodes];
            byte[] arc = new byte[nodes];
            int[] path = new int[nodes];
            int[] least = new int[nodes];
            long flow = 0;
            while (flow < cap) {
                long before = flow;
                Arrays.fill(entered, false);
                Arrays.fill(arc, (byte) 0);
                flow = greedyPass(axis, residual, cap, order, entered, arc, path, least, flow);
                if ((flow - before) * GAIN < flow || flow == before) {
                    break;
                }
            }
            return flow;
        }

        /**
         * One pass of {@link #greedyPaths}: {@code path[0..depth]} is the search's stack, {@code least[i]} the least
         * residual capacity of its first {@code i} edges, {@code order[arc[u]]} the direction that node {@code u}
         * tries now (on the stack: its edge to the next node).
         */
        private long greedyPass(int axis, int[] residual, long cap, int[] order, boolean[] entered, byte[] arc,
                int[] path, int[] least, long flow) {
            int nodes = faces.length;
            for (int s = 0; s < nodes && flow < cap; s++) {
                if (!on(s, axis, 1)) {
                    continue;
                }
                entered[s] = true;
                int depth = 0;
                path[0] = s;
                least[0] = Integer.MAX_VALUE;
                while (depth >= 0) {
                    int b = path[depth];
                    if (on(b, axis, 2)) {
                        int push = least[depth];
                        int saturated = -1;
                        for (int t = 0; t < depth; t++) {
                            int u = path[t];
                            int d = order[arc[u]];
                            residual[u * 6 + d] -= push;
                            residual[path[t + 1] * 6 + (d ^ 1)] += push;
                            if (saturated >= 0) {
                                continue;
                            }
                            if (residual[u * 6 + d] == 0) {
                                saturated = t;
                            } else {
                                least[t + 1] -= push;
                            }
                        }
                        flow += push;
                        if (flow >= cap) {
                            return flow;
                        }
                        for (int t = saturated + 1; t <= depth; t++) {
                            entered[path[t]] = false;
                        }
                        depth = saturated;
                        continue;
                    }
                    int next = -1;
                    for (; arc[b] < 6; arc[b]++) {
                        int d = order[arc[b]];
                        int c = b + step[d];
                        if (!entered[c] && residual[b * 6 + d] > 0 && !on(c, axis, 1)) {
                            next = c;
                            least[depth + 1] = Math.min(least[depth], residual[b * 6 + d]);
                            break;
                        }
                    }
                    if (next < 0) {
                        depth--;
                    } else {
                        entered[next] = true;
                        path[++depth] = next;
                    }
                }
            }
            return flow;
        }

        /**
         * Pushes the bottleneck of the path source root - ... - {@code from} - {@code from + step[dir]} - ... - sink
         * root; nodes whose edge to their parent saturates become orphans.
         */
        private int augment(int from, int dir, int[] residual, byte[] parent, Ring orphans) {
            int least = residual[from * 6 + dir];
            for (int u = from; parent[u] != ROOT; u += step[parent[u]]) {
                int a = parent[u];
                least = Math.min(least, residual[(u + step[a]) * 6 + (a ^ 1)]);
            }
            for (int u = from + step[dir]; parent[u] != ROOT; u += step[parent[u]]) {
                least = Math.min(least, residual[u * 6 + parent[u]]);
            }
            residual[from * 6 + dir] -= least;
            residual[(from + step[dir]) * 6 + (dir ^ 1)] += least;
            for (int u = from; parent[u] != ROOT; ) {
                int a = parent[u];
                int w = u + step[a];
                residual[w * 6 + (a ^ 1)] -= least;
                residual[u * 6 + a] += least;
                if (residual[w * 6 + (a ^ 1)] == 0) {
                    parent[u] = ORPHAN;
                    orphans.push(u);
                }
                u = w;
            }
            for (int u = from + step[dir]; parent[u] != ROOT; ) {
                int a = parent[u];
                int w = u + step[a];
                residual[u * 6 + a] -= least;
                residual[w * 6 + (a ^ 1)] += least;
                if (residual[u * 6 + a] == 0) {
                    parent[u] = ORPHAN;
                    orphans.push(u);
                }
                u = w;
            }
            return least;
        }

        /**
         * Finds an orphan a parent in its tree, over an edge with residual capacity in the tree's direction, whose
         * chain ends at a root (the nearest such, by the distances checked at time {@code now}); with none the orphan
         * becomes free, its children orphans and its tree's neighbours that could reach it active.
         */
        private void adopt(int p, int[] residual, byte[] tree, byte[] parent, int[] time, int[] distance, int now,
                Ring active, Ring orphans) {
            byte t = tree[p];
            int best = -1;
            int bestDistance = Integer.MAX_VALUE;
            for (int d = 0; d < 6; d++) {
                int q = p + step[d];
                if (tree[q] != t || toward(residual, t, q, d ^ 1) == 0) {
                    continue;
                }
                // walk up from q to a root (valid) or an orphan (not)
                int steps = 0;
                int u = q;
                boolean valid;
                while (true) {
                    if (time[u] == now) {
                        steps += distance[u];
                        valid = true;
                        break;
                    }
                    int a = parent[u];
                    steps++;
                    if (a == ROOT) {
                        time[u] = now;
                        distance[u] = 1;
                        valid = true;
                        break;
                    }
                    if (a == ORPHAN) {
                        valid = false;
                        break;
                    }
                    u += step[a];
                }
                if (!valid) {
                    continue;
                }
                if (steps < bestDistance) {
                    best = d;
                    bestDistance = steps;
                }
                // stamp the chain just walked with its distances
                for (u = q; time[u] != now; u += step[parent[u]]) {
                    time[u] = now;
                    distance[u] = steps--;
                }
            }
            if (best >= 0) {
                parent[p] = (byte) best;
                time[p] = now;
                distance[p] = bestDistance + 1;
                return;
            }
            for (int d = 0; d < 6; d++) {
                int q = p + step[d];
                if (tree[q] != t) {
                    continue;
                }
                if (toward(residual, t, q, d ^ 1) > 0) {
                    active.push(q);
                }
                int a = parent[q];
                if (a < ROOT && q + step[a] == p) {
                    parent[q] = ORPHAN;
                    orphans.push(q);
                }
            }
            tree[p] = FREE;
        }
    }

    /** A first-in first-out queue of node indices, each at most once (a node queued twice is skipped). */
    private static final class Ring {
        private final int[] items;
        private final boolean[] queued;
        private int head;
        private int size;

        Ring(int nodes) {
            items = new int[nodes];
            queued = new boolean[nodes];
        }

        void push(int node) {
            if (!queued[node]) {
                queued[node] = true;
                int at = head + size++;
                items[at < items.length ? at : at - items.length] = node;
            }
        }

        boolean isEmpty() {
            return size == 0;
        }

        int peek() {
            return items[head];
        }

        int pop() {
            int node = items[head];
            head = head + 1 < items.length ? head + 1 : 0;
            size--;
            queued[node] = false;
            return node;
        }
    }
}
