package dev.rendezvous.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/** A PNG of the figures per mode, drawn with Java2D: four bar panels side by side; a peer has the first three. */
final class Chart {

    private static final int WIDTH = 1500;
    private static final int HEIGHT = 460;
    private static final Color[] SERIES = {
        new Color(0x4C78A8), new Color(0xF58518), new Color(0xE45756), new Color(0x72B7B2)
    };

    private Chart() {}

    static void render(Benchmark.Report report, Path file) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(
                    String.format(
                            Locale.ROOT,
                            "Rendezvous: %s clients, %s s measured; %s held waiters delivered at %s/s; %s cores, services on Java %s",
                            report.settings().get("clients"),
                            report.settings().get("seconds"),
                            report.settings().get("waiters"),
                            report.settings().get("rate"),
                            report.machine().get("cores"),
                            report.settings().get("serviceJava")),
                    20,
                    28);
            List<Benchmark.ModeResult> modes = report.modes();
            int panel = (WIDTH - 40) / 4;
            bars(
                    g,
                    20,
                    panel,
                    "Exchanges/s",
                    List.of("exchanges/s"),
                    modes,
                    List.of(m -> m.exchanges().exchangesPerSecond()),
                    "%.0f");
            bars(
                    g,
                    20 + panel,
                    panel,
                    "Server CPU per exchange (µs)",
                    List.of("server CPU µs"),
                    modes,
                    List.of(m -> m.exchanges().serverCpuMicrosPerExchange()),
                    "%.0f");
            bars(
                    g,
                    20 + 2 * panel,
                    panel,
                    "Exchange latency (ms)",
                    List.of("p50", "p90", "p99"),
                    modes,
                    List.of(
                            m -> m.exchanges().p50Micros() / 1000.0,
                            m -> m.exchanges().p90Micros() / 1000.0,
                            m -> m.exchanges().p99Micros() / 1000.0),
                    "%.1f");
            bars(
                    g,
                    20 + 3 * panel,
                    panel,
                    "Delivery to held waiter (ms)*",
                    List.of("p50", "p90", "p99"),
                    modes.stream().filter(m -> m.waiters() != null).toList(),
                    List.of(
                            m -> m.waiters().p50Micros() / 1000.0,
                            m -> m.waiters().p90Micros() / 1000.0,
                            m -> m.waiters().p99Micros() / 1000.0),
                    "%.1f");
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.setColor(Color.DARK_GRAY);
            g.drawString(
                    "* redis-2, redis-cluster: cross-replica wake-up (waits on replica 1, deliveries on replica 2)",
                    20,
                    HEIGHT - 6);
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private static void bars(
            Graphics2D g,
            int left,
            int width,
            String title,
            List<String> series,
            List<Benchmark.ModeResult> modes,
            List<ToDoubleFunction<Benchmark.ModeResult>> values,
            String format) {
        int top = 70;
        int bottom = HEIGHT - 70;
        int plotLeft = left + 50;
        int plotRight = left + width - 20;
        double max = 0;
        for (Benchmark.ModeResult mode : modes) {
            for (ToDoubleFunction<Benchmark.ModeResult> value : values) {
                max = Math.max(max, value.applyAsDouble(mode));
            }
        }
        max = max <= 0 ? 1 : max * 1.15;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setColor(Color.BLACK);
        g.drawString(title, plotLeft, top - 15);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setStroke(new BasicStroke(1));
        for (int tick = 0; tick <= 4; tick++) {
            int y = bottom - (bottom - top) * tick / 4;
            g.setColor(new Color(0xDDDDDD));
            g.drawLine(plotLeft, y, plotRight, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, format, max * tick / 4), left, y + 4);
        }
        g.setColor(Color.BLACK);
        g.drawLine(plotLeft, bottom, plotRight, bottom);
        int groups = Math.max(1, modes.size());
        int groupWidth = (plotRight - plotLeft) / groups;
        int barWidth = Math.max(4, (groupWidth - 20) / values.size());
        for (int m = 0; m < modes.size(); m++) {
            int groupLeft = plotLeft + m * groupWidth + 10;
            for (int s = 0; s < values.size(); s++) {
                double value = values.get(s).applyAsDouble(modes.get(m));
                int height = (int) Math.round((bottom - top) * Math.max(0, value) / max);
                int x = groupLeft + s * barWidth;
                g.setColor(SERIES[s % SERIES.length]);
                g.fillRect(x, bottom - height, barWidth - 4, height);
                g.setColor(Color.BLACK);
                g.drawString(String.format(Locale.ROOT, format, value), x, bottom - height - 4);
            }
            g.drawString(modes.get(m).mode(), groupLeft, bottom + 16);
        }
        for (int s = 0; s < series.size(); s++) {
            int x = plotLeft + s * 90;
            g.setColor(SERIES[s % SERIES.length]);
            g.fillRect(x, HEIGHT - 35, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(series.get(s), x + 16, HEIGHT - 25);
        }
    }
}
