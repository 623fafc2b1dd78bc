package kz.qatysu.launcher;

import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.tool.proctoring.analysis.AnalysisSettings;
import kz.qatysu.tool.proctoring.analysis.Calibration;
import kz.qatysu.tool.proctoring.analysis.Descriptor;
import kz.qatysu.tool.proctoring.analysis.FaceAnalysis;
import kz.qatysu.tool.proctoring.analysis.Faces;
import kz.qatysu.tool.proctoring.analysis.UnreadableImage;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code ./qatysu proctoring calibrate DIR}: the face analysis of a folder of consented photographs, one sub-folder per
 * person, as the distance distributions of same-person and different-person pairs and a suggested
 * {@code proctoring.matchThreshold}. Uses the configured models and detector settings; reads the photographs only.
 */
final class ProctoringCommand {
    static final String USAGE = "usage: ./qatysu proctoring calibrate DIR [--config file.yaml]\n"
            + "  DIR holds one folder per person with that person's photographs (JPEG or PNG, one face each)";

    private ProctoringCommand() {
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length < 2 || !args[0].equals("calibrate") || args[1].startsWith("--")) {
            err.println(USAGE);
            return 2;
        }
        Path dir = Path.of(args[1]);
        if (!Files.isDirectory(dir)) {
            err.println("qatysu: " + dir + " is not a folder");
            err.println(USAGE);
            return 2;
        }
        ConfigSource source = ConfigSource.load(ConfigSource.locate(args, env).orElse(null), env);
        ConfigProblems problems = new ConfigProblems();
        AnalysisSettings settings = AnalysisSettings.read(new ConfigReader(source, problems));
        problems.throwIfAny();

        Map<String, List<Descriptor>> byPerson = new TreeMap<>();
        List<String> skipped = new ArrayList<>();
        int photographs = 0;
        try (FaceAnalysis analysis = new FaceAnalysis(settings)) {
            for (Path person : list(dir).stream().filter(Files::isDirectory).toList()) {
                List<Descriptor> descriptors = new ArrayList<>();
                for (Path photo : list(person).stream().filter(ProctoringCommand::isPicture).toList()) {
                    String name = person.getFileName() + "/" + photo.getFileName();
                    try {
                        Faces faces = analysis.analyse(Files.readAllBytes(photo));
                        if (faces.count() == 1) {
                            descriptors.add(faces.faces().get(0).requireDescriptor());
                            photographs++;
                        } else {
                            skipped.add(name + ": " + (faces.count() == 0 ? "no face" : faces.count() + " faces") + " found");
                        }
                    } catch (UnreadableImage e) {
                        skipped.add(name + ": " + e.getMessage());
                    } catch (IOException e) {
                        skipped.add(name + ": " + e.getMessage());
                    }
                }
                if (!descriptors.isEmpty()) {
                    byPerson.put(person.getFileName().toString(), descriptors);
                }
            }
        }
        out.printf(Locale.ROOT, "Face analysis of %s: %d people, %d photographs with one face (%d skipped)%n",
                dir, byPerson.size(), photographs, skipped.size());
        byPerson.forEach((person, d) -> out.printf(Locale.ROOT, "  %-24s %3d photograph%s%n", person, d.size(), d.size() == 1 ? "" : "s"));
        skipped.forEach(s -> out.println("  skipped " + s));

        Calibration c = Calibration.of(byPerson, settings.matchThreshold());
        out.println();
        out.printf(Locale.ROOT, "%-18s %6s %7s %7s %7s %7s %7s%n", "Euclidean distance", "pairs", "min", "p5", "median", "p95", "max");
        row(out, "same person", c.same());
        row(out, "different people", c.different());
        out.println();
        if (c.same().count() == 0 || c.different().count() == 0) {
            out.println("No threshold can be suggested: it needs at least two photographs of one person and photographs of "
                    + "at least two people.");
            return 1;
        }
        if (c.overlap()) {
            out.printf(Locale.ROOT, "The distributions overlap (same person up to %.3f, different people from %.3f): "
                    + "no threshold separates every pair.%n", c.same().max(), c.different().min());
        } else {
            out.printf(Locale.ROOT, "The distributions do not overlap: the gap runs from %.3f (the furthest same-person pair) "
                    + "to %.3f (the closest different-person pair).%n", c.same().max(), c.different().min());
        }
        out.printf(Locale.ROOT, "Suggested proctoring.matchThreshold: %.2f  (%d of %d same-person pairs refused, %d of %d "
                        + "different-person pairs accepted)%n", c.suggested(), c.errors().sameRefused(), c.same().count(),
                c.errors().differentAccepted(), c.different().count());
        out.printf(Locale.ROOT, "Configured proctoring.matchThreshold: %.2f  (%d refused, %d accepted)%n", c.current(),
                c.currentErrors().sameRefused(), c.currentErrors().differentAccepted());
        out.println("A mismatch only raises a flag for the proctor; prefer a threshold that accepts no stranger, and calibrate "
                + "on more people (dozens) before changing it.");
        return 0;
    }

    private static void row(PrintStream out, String label, Calibration.Distribution d) {
        if (d.count() == 0) {
            out.printf(Locale.ROOT, "%-18s %6d %7s %7s %7s %7s %7s%n", label, 0, "-", "-", "-", "-", "-");
            return;
        }
        out.printf(Locale.ROOT, "%-18s %6d %7.3f %7.3f %7.3f %7.3f %7.3f%n", label, d.count(), d.min(), d.percentile(5),
                d.percentile(50), d.percentile(95), d.max());
    }

    private static boolean isPicture(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png"));
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
