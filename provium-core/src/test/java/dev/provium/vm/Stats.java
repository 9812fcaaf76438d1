package dev.provium.vm;

import java.util.List;
import java.util.Locale;

/** Medians and the ratio of a measurement to its floor, printed in one block. */
final class Stats {
    private Stats() {
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static void report(String title, String name, List<Double> measured, String floorName, List<Double> floor) {
        double m = median(measured);
        double f = median(floor);
        System.out.printf(Locale.ROOT, "%n== %s%n  %-10s median %.3f s  runs %s%n  %-10s median %.3f s  runs %s%n  ratio %.2f%n%n",
                title, name, m, format(measured), floorName, f, format(floor), m / f);
    }

    private static String format(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%.3f", v)).toList().toString();
    }
}
