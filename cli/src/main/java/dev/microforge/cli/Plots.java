package dev.microforge.cli;

import dev.microforge.datasets.io.AtomicFile;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * PNG plots of curves and distributions (JFreeChart, headless), written through a temporary file. One colour per
 * series from a fixed palette, so the same quantity looks the same in every plot.
 */
final class Plots {
    static final int WIDTH = 900;
    static final int HEIGHT = 560;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0x17becf)};

    static {
        // ImageIO's default file cache registers a JVM shutdown hook on first use; during a Ctrl-C / SIGTERM shutdown
        // (when training draws its last learning curves) that throws "Shutdown in progress" and the run ends
        // without its closing message. An in-memory cache has no hook and no temporary file.
        ImageIO.setUseCache(false);
    }

    private Plots() {
    }

    /** An ordered set of named (x, y) series. */
    static final class Series {
        final Map<String, double[][]> curves = new LinkedHashMap<>();

        Series add(String name, double[] x, double[] y) {
            if (x != null && y != null && x.length > 0) {
                curves.put(name, new double[][] {x, y});
            }
            return this;
        }
    }

    /** Line plot of {@code series}; non-finite points are skipped, {@code logY} uses a logarithmic y axis. */
    static void lines(Path png, String title, String xLabel, String yLabel, Series series, boolean logY,
            boolean overwrite) throws IOException {
        XYSeriesCollection data = collection(series, logY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        NumberAxis x = new NumberAxis(xLabel);
        x.setAutoRangeIncludesZero(true);
        org.jfree.chart.axis.ValueAxis y = logY ? new LogAxis(yLabel) : new NumberAxis(yLabel);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        write(png, new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, series.curves.size() > 1), overwrite);
    }

    /** Histogram bars: {@code x} are bin centres, {@code y} the heights. */
    static void bars(Path png, String title, String xLabel, String yLabel, Series series, boolean overwrite)
            throws IOException {
        XYSeriesCollection data = collection(series, false);
        XYBarRenderer renderer = new XYBarRenderer(0.1);
        renderer.setShadowVisible(false);
        renderer.setBarPainter(new org.jfree.chart.renderer.xy.StandardXYBarPainter());
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        XYPlot plot = new XYPlot(data, new NumberAxis(xLabel), new NumberAxis(yLabel), renderer);
        write(png, new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, series.curves.size() > 1), overwrite);
    }

    /**
     * Markers and lines on one chart: {@code points} as unconnected markers, {@code lines} as lines (either may
     * be empty); markers take the palette's colours first, lines continue it.
     */
    static void scatter(Path png, String title, String xLabel, String yLabel, Series points, Series lines,
            boolean overwrite) throws IOException {
        XYSeriesCollection markers = collection(points, false);
        XYSeriesCollection curves = collection(lines, false);
        XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
        for (int i = 0; i < markers.getSeriesCount(); i++) {
            dots.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            dots.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-3.5, -3.5, 7, 7));
        }
        XYLineAndShapeRenderer strokes = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < curves.getSeriesCount(); i++) {
            strokes.setSeriesPaint(i, PALETTE[(markers.getSeriesCount() + i) % PALETTE.length]);
            strokes.setSeriesStroke(i, new BasicStroke(2f));
        }
        NumberAxis x = new NumberAxis(xLabel);
        x.setAutoRangeIncludesZero(false);
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(markers, x, y, dots);
        plot.setDataset(1, curves);
        plot.setRenderer(1, strokes);
        write(png, new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot,
                points.curves.size() + lines.curves.size() > 1), overwrite);
    }

    private static XYSeriesCollection collection(Series series, boolean positiveOnly) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, double[][]> e : series.curves.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            double[] x = e.getValue()[0];
            double[] y = e.getValue()[1];
            for (int i = 0; i < Math.min(x.length, y.length); i++) {
                if (Double.isFinite(x[i]) && Double.isFinite(y[i]) && (!positiveOnly || y[i] > 0)) {
                    s.add(x[i], y[i]);
                }
            }
            data.addSeries(s);
        }
        return data;
    }

    private static void write(Path png, JFreeChart chart, boolean overwrite) throws IOException {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getPlot().setBackgroundPaint(Color.WHITE);
        ((XYPlot) chart.getPlot()).setDomainGridlinePaint(new Color(0xdddddd));
        ((XYPlot) chart.getPlot()).setRangeGridlinePaint(new Color(0xdddddd));
        AtomicFile.write(png, overwrite, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
    }
}
