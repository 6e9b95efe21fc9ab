package dev.microforge.cli;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.AtomicFile;
import dev.microforge.datasets.io.SliceImages;
import dev.microforge.datasets.io.VolumeIO;
import dev.microforge.optimizer.bo.MultiObjective;
import dev.microforge.optimizer.campaign.Campaign;
import dev.microforge.optimizer.campaign.CampaignConfig;
import dev.microforge.optimizer.campaign.JournalEntry;
import dev.microforge.optimizer.objective.PropertySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a campaign's {@code report.html}: one self-contained page (pictures embedded as data URIs; the same PNGs
 * also written beside it as {@code report-*.png}) with the convergence trace, the Pareto front (two or more
 * objectives) or the objective-constraint trade-off, orthogonal slices of the best designs, surrogate-versus-physics
 * agreement when the campaign screened with a surrogate, and a table of every evaluation.
 */
final class CampaignReport {
    /** Name of the page in the campaign folder. */
    static final String FILE = "report.html";
    private static final int BEST_DESIGNS = 3;

    private CampaignReport() {
    }

    /**
     * What was written.
     *
     * @param html the page
     * @param pictures the PNGs beside it
     * @param evaluations evaluations reported
     * @param best the best feasible evaluation (first objective), or null
     * @param agreement per predicted property: pairs, R², RMSE of surrogate versus physics
     */
    record Written(Path html, List<Path> pictures, int evaluations, JournalEntry best,
                   Map<String, double[]> agreement) {
    }

    static Written write(Path dir) throws IOException {
        Campaign.State state = Campaign.load(dir);
        CampaignConfig c = state.config();
        List<JournalEntry> entries = state.entries();
        List<PropertySpec> specs = c.specs();
        List<Path> pictures = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        JournalEntry best = state.best();

        body.append("<h1>Campaign report</h1>\n<p>").append(esc(dir.toAbsolutePath().toString())).append("</p>\n");
        body.append("<table class=\"kv\">");
        kv(body, "design space", describeSpace(c));
        for (CampaignConfig.Objective o : c.objectives()) {
            kv(body, "objective", (o.minimize() ? "minimise " : "maximise ") + o.spec().label());
        }
        for (CampaignConfig.Constraint k : c.constraints()) {
            kv(body, "constraint", bounds(k));
        }
        kv(body, "search", String.format(Locale.ROOT, "%s, batch %d, seed %d%s", c.acquisition().toUpperCase(
                Locale.ROOT), c.batchSize(), c.seed(), c.screening() == null ? "" : ", screening " + c.screening()
                .candidates() + " candidates per evaluation with the " + c.screening().surrogate() + " surrogate"));
        long feasible = entries.stream().filter(JournalEntry::feasible).count();
        long failed = entries.stream().filter(e -> !e.ok()).count();
        kv(body, "evaluations", String.format(Locale.ROOT, "%d of %d%s; %d feasible, %d failed", entries.size(),
                c.budget(), state.complete() ? "" : " (not finished: resume with microforge optimize --out DIR "
                        + "--resume)", feasible, failed));
        if (best != null) {
            kv(body, "best", String.format(Locale.ROOT, "evaluation %d: %s = %s at %s", best.evaluation(),
                    specs.get(0).label(), num(best.values()[0]), parameters(best)));
        }
        body.append("</table>\n");

        if (!entries.isEmpty()) {
            Path convergence = dir.resolve("report-convergence.png");
            convergence(c, entries, convergence);
            picture(body, convergence, "Convergence", pictures);
            Path tradeOff = dir.resolve("report-pareto.png");
            String caption = tradeOff(c, entries, tradeOff);
            if (caption != null) {
                picture(body, tradeOff, caption, pictures);
            }
        }

        List<JournalEntry> shown = bestDesigns(state);
        if (!shown.isEmpty()) {
            body.append("<h2>Best designs</h2>\n<p>Central xy, xz and yz slices (pore black, active grey, CBD "
                    + "orange).</p>\n");
            for (JournalEntry e : shown) {
                Path file = dir.resolve(e.design());
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                Volume v = VolumeIO.read(file);
                Path png = dir.resolve(String.format(Locale.ROOT, "report-design-%04d.png", e.evaluation()));
                SliceImages.writePng(SliceImages.renderOrthogonal(v), png, true);
                pictures.add(png);
                body.append("<figure><img class=\"slices\" src=\"").append(dataUri(png)).append("\" alt=\"slices\">")
                        .append("<figcaption>evaluation ").append(e.evaluation()).append(": ")
                        .append(esc(parameters(e))).append("<br>").append(esc(values(specs, e))).append(
                                "</figcaption></figure>\n");
            }
        }

        Map<String, double[]> agreement = agreement(specs, entries);
        if (!agreement.isEmpty()) {
            Path png = dir.resolve("report-surrogate.png");
            surrogatePlot(specs, entries, png);
            picture(body, png, "Surrogate versus physics (each verified design; line: perfect agreement)", pictures);
            body.append("<table><tr><th>property</th><th>pairs</th><th>R²</th><th>RMSE</th></tr>\n");
            agreement.forEach((k, a) -> body.append("<tr><td>").append(esc(k)).append("</td><td>")
                    .append((int) a[0]).append("</td><td>").append(num(a[1])).append("</td><td>").append(num(a[2]))
                    .append("</td></tr>\n"));
            body.append("</table>\n");
        }

        body.append("<h2>All evaluations</h2>\n<table><tr><th>#</th><th>batch</th>");
        if (!entries.isEmpty()) {
            entries.get(0).parameters().keySet().forEach(k -> body.append("<th>").append(esc(k)).append("</th>"));
        }
        specs.forEach(s -> body.append("<th>").append(esc(s.label())).append("</th>"));
        body.append("<th>feasible</th><th>status</th><th>seconds</th></tr>\n");
        for (JournalEntry e : entries) {
            body.append(e == best ? "<tr class=\"best\">" : "<tr>").append("<td>").append(e.evaluation())
                    .append("</td><td>").append(e.batch()).append(e.batch() == 0 ? " (initial)" : "").append("</td>");
            e.parameters().values().forEach(v -> body.append("<td>").append(num(v)).append("</td>"));
            for (double v : e.values()) {
                body.append("<td>").append(num(v)).append("</td>");
            }
            body.append("<td>").append(e.feasible() ? "yes" : "no").append("</td><td>").append(esc(e.ok() ? "ok"
                    : "failed: " + e.message())).append("</td><td>")
                    .append(num(e.generateSeconds() + e.physicsSeconds())).append("</td></tr>\n");
        }
        body.append("</table>\n");

        String html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Microforge campaign "
                + "report</title>\n<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
                + "table{border-collapse:collapse;margin:1em 0;font-size:90%}td,th{border:1px solid #ccc;"
                + "padding:2px 6px;text-align:right}th{background:#f3f3f3}table.kv td{text-align:left}"
                + "tr.best{background:#fff3c4}img{max-width:100%}img.slices{image-rendering:pixelated;width:720px}"
                + "figure{margin:1em 0}</style></head><body>\n" + body + "<p><small>Written by microforge report."
                + "</small></p></body></html>\n";
        Path out = dir.resolve(FILE);
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(out, true, o -> o.write(bytes));
        return new Written(out, pictures, entries.size(), best, agreement);
    }

    private static String describeSpace(CampaignConfig c) {
        CampaignConfig.DesignSpaceConfig d = c.designSpace();
        if (d.type().equals("latent")) {
            return "latent of " + d.model() + " at " + d.size() + "³";
        }
        StringBuilder sb = new StringBuilder(d.generator());
        d.parameters().forEach((k, v) -> sb.append(", ").append(k).append(" in [").append(num(v[0])).append(", ")
                .append(num(v[1])).append("]"));
        if (!d.fixed().isEmpty()) {
            sb.append("; fixed ").append(d.fixed());
        }
        return sb.toString();
    }

    private static String bounds(CampaignConfig.Constraint k) {
        String label = k.spec().label();
        if (!Double.isNaN(k.min()) && !Double.isNaN(k.max())) {
            return num(k.min()) + " ≤ " + label + " ≤ " + num(k.max());
        }
        return !Double.isNaN(k.min()) ? label + " ≥ " + num(k.min()) : label + " ≤ " + num(k.max());
    }

    /** Single objective: every value and the best feasible so far; several: the 2D hypervolume so far. */
    private static void convergence(CampaignConfig c, List<JournalEntry> entries, Path png) throws IOException {
        int n = entries.size();
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i; // evaluation numbers as in the journal and the table
        }
        if (c.objectives().size() == 1) {
            boolean min = c.objectives().get(0).minimize();
            List<double[]> feasible = new ArrayList<>();
            List<double[]> infeasible = new ArrayList<>();
            double[] best = new double[n];
            double b = Double.NaN;
            for (int i = 0; i < n; i++) {
                JournalEntry e = entries.get(i);
                double v = e.values()[0];
                (e.feasible() ? feasible : infeasible).add(new double[] {i, v});
                if (e.feasible() && (Double.isNaN(b) || (min ? v < b : v > b))) {
                    b = v;
                }
                best[i] = b;
            }
            Plots.Series points = new Plots.Series();
            points.add("feasible", column(feasible, 0), column(feasible, 1));
            points.add("infeasible or failed", column(infeasible, 0), column(infeasible, 1));
            Plots.scatter(png, "Convergence", "evaluation", c.objectives().get(0).spec().label(), points,
                    new Plots.Series().add("best feasible so far", x, best), true);
            return;
        }
        double[] hv = new double[n];
        double[] ref = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        for (JournalEntry e : entries) {
            if (e.feasible()) {
                double[] y = maximised(c, e);
                ref[0] = Math.min(ref[0], y[0]);
                ref[1] = Math.min(ref[1], y[1]);
            }
        }
        List<double[]> seen = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (entries.get(i).feasible()) {
                seen.add(maximised(c, entries.get(i)));
            }
            hv[i] = Double.isFinite(ref[0]) ? MultiObjective.hypervolume2d(seen, ref) : 0;
        }
        Plots.lines(png, "Convergence: hypervolume of the first two objectives (reference: worst feasible values)",
                "evaluation", "hypervolume", new Plots.Series().add("hypervolume", x, hv), false, true);
    }

    private static double[] maximised(CampaignConfig c, JournalEntry e) {
        double[] y = new double[c.objectives().size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = c.objectives().get(i).minimize() ? -e.values()[i] : e.values()[i];
        }
        return y;
    }

    /** The Pareto plot (two or more objectives) or objective against the first constraint; null for neither. */
    private static String tradeOff(CampaignConfig c, List<JournalEntry> entries, Path png) throws IOException {
        int k = c.objectives().size();
        List<PropertySpec> specs = c.specs();
        if (k >= 2) {
            List<JournalEntry> front = Campaign.paretoFront(c, entries);
            List<double[]> all = new ArrayList<>();
            for (JournalEntry e : entries) {
                if (e.feasible()) {
                    all.add(new double[] {e.values()[0], e.values()[1]});
                }
            }
            List<double[]> f = new ArrayList<>();
            for (JournalEntry e : front) {
                f.add(new double[] {e.values()[0], e.values()[1]});
            }
            f.sort(Comparator.comparingDouble(p -> p[0]));
            Plots.Series points = new Plots.Series().add("feasible designs", column(all, 0), column(all, 1))
                    .add("Pareto front", column(f, 0), column(f, 1));
            Plots.scatter(png, "Pareto front", specs.get(0).label(), specs.get(1).label(), points,
                    new Plots.Series().add("front", column(f, 0), column(f, 1)), true);
            return "Pareto front of " + specs.get(0).label() + " and " + specs.get(1).label() + " (feasible designs)";
        }
        if (c.constraints().isEmpty()) {
            return null;
        }
        List<double[]> feasible = new ArrayList<>();
        List<double[]> infeasible = new ArrayList<>();
        for (JournalEntry e : entries) {
            if (e.ok()) {
                (e.feasible() ? feasible : infeasible).add(new double[] {e.values()[k], e.values()[0]});
            }
        }
        Plots.Series bound = new Plots.Series();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (JournalEntry e : entries) {
            if (e.ok() && Double.isFinite(e.values()[0])) {
                lo = Math.min(lo, e.values()[0]);
                hi = Math.max(hi, e.values()[0]);
            }
        }
        CampaignConfig.Constraint first = c.constraints().get(0);
        if (lo <= hi) {
            if (!Double.isNaN(first.min())) {
                bound.add("constraint min", new double[] {first.min(), first.min()}, new double[] {lo, hi});
            }
            if (!Double.isNaN(first.max())) {
                bound.add("constraint max", new double[] {first.max(), first.max()}, new double[] {lo, hi});
            }
        }
        Plots.scatter(png, "Objective and constraint", specs.get(k).label(), specs.get(0).label(),
                new Plots.Series().add("feasible", column(feasible, 0), column(feasible, 1))
                        .add("infeasible", column(infeasible, 0), column(infeasible, 1)), bound, true);
        return "Objective against the first constraint (" + bounds(c.constraints().get(0)) + ")";
    }

    /** Best feasible designs: single objective the top three, several objectives up to three front members. */
    private static List<JournalEntry> bestDesigns(Campaign.State state) {
        CampaignConfig c = state.config();
        List<JournalEntry> pool = c.objectives().size() > 1 ? new ArrayList<>(state.paretoFront())
                : new ArrayList<>(state.entries().stream().filter(JournalEntry::feasible).toList());
        boolean min = c.objectives().get(0).minimize();
        pool.sort(Comparator.comparingDouble(e -> min ? e.values()[0] : -e.values()[0]));
        if (c.objectives().size() > 1 && pool.size() > BEST_DESIGNS) {
            // spread along the front: first, middle, last
            return List.of(pool.get(0), pool.get(pool.size() / 2), pool.get(pool.size() - 1));
        }
        return pool.subList(0, Math.min(BEST_DESIGNS, pool.size())).stream().filter(e -> e.design() != null)
                .toList();
    }

    /** Per spec with surrogate predictions: {pairs, R², RMSE}. */
    static Map<String, double[]> agreement(List<PropertySpec> specs, List<JournalEntry> entries) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (int j = 0; j < specs.size(); j++) {
            List<double[]> pairs = pairs(entries, j);
            if (pairs.size() < 2) {
                continue;
            }
            double mean = 0;
            for (double[] p : pairs) {
                mean += p[1] / pairs.size();
            }
            double ssRes = 0;
            double ssTot = 0;
            for (double[] p : pairs) {
                ssRes += (p[0] - p[1]) * (p[0] - p[1]);
                ssTot += (p[1] - mean) * (p[1] - mean);
            }
            out.put(specs.get(j).label(), new double[] {pairs.size(), ssTot > 0 ? 1 - ssRes / ssTot : Double.NaN,
                Math.sqrt(ssRes / pairs.size())});
        }
        return out;
    }

    /** (predicted, physics) pairs of spec j where both are finite. */
    private static List<double[]> pairs(List<JournalEntry> entries, int j) {
        List<double[]> pairs = new ArrayList<>();
        for (JournalEntry e : entries) {
            if (e.ok() && e.surrogateMean() != null && Double.isFinite(e.surrogateMean()[j])
                    && Double.isFinite(e.values()[j])) {
                pairs.add(new double[] {e.surrogateMean()[j], e.values()[j]});
            }
        }
        return pairs;
    }

    private static void surrogatePlot(List<PropertySpec> specs, List<JournalEntry> entries, Path png)
            throws IOException {
        Plots.Series points = new Plots.Series();
        Plots.Series lines = new Plots.Series();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < specs.size(); j++) {
            List<double[]> pairs = pairs(entries, j);
            if (pairs.size() < 2 || pairs.stream().allMatch(p -> p[0] == p[1])) {
                continue; // exact predictions (fractions measured on the volume) add nothing to look at
            }
            points.add(specs.get(j).label(), column(pairs, 1), column(pairs, 0));
            for (double[] p : pairs) {
                lo = Math.min(lo, Math.min(p[0], p[1]));
                hi = Math.max(hi, Math.max(p[0], p[1]));
            }
        }
        if (lo < hi) {
            lines.add("y = x", new double[] {lo, hi}, new double[] {lo, hi});
        }
        Plots.scatter(png, "Surrogate versus physics", "physics", "surrogate prediction", points, lines, true);
    }

    private static double[] column(List<double[]> rows, int c) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(i)[c];
        }
        return out;
    }

    private static void picture(StringBuilder body, Path png, String caption, List<Path> pictures)
            throws IOException {
        pictures.add(png);
        body.append("<h2>").append(esc(caption.split(" \\(")[0])).append("</h2>\n<figure><img src=\"")
                .append(dataUri(png)).append("\" alt=\"").append(esc(caption)).append("\"><figcaption>")
                .append(esc(caption)).append(" — ").append(esc(png.getFileName().toString()))
                .append("</figcaption></figure>\n");
    }

    private static String dataUri(Path png) throws IOException {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(png));
    }

    private static void kv(StringBuilder sb, String k, String v) {
        sb.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>");
    }

    static String parameters(JournalEntry e) {
        StringBuilder sb = new StringBuilder();
        e.parameters().forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(" = ")
                .append(num(v)));
        return sb.toString();
    }

    static String values(List<PropertySpec> specs, JournalEntry e) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < specs.size(); j++) {
            sb.append(j == 0 ? "" : ", ").append(specs.get(j).label()).append(" = ").append(num(e.values()[j]));
        }
        return sb.toString();
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "-∞";
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
