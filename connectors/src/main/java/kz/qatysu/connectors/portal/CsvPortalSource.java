package kz.qatysu.connectors.portal;

import kz.qatysu.connectors.csv.StrictCsv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * CSV files dropped in a folder: {@code persons.csv}, {@code sections.csv}, {@code enrolments.csv},
 * {@code timetable.csv}, {@code grades.csv} (names configurable), each with a header line, read strictly
 * ({@link StrictCsv}) in the source's {@link Format}. A file that is not text in the configured encoding, or whose
 * structure is broken (a quote never closed or unbalanced, a line with another number of fields than the header), is
 * refused as a whole, naming the file and the line: a broken export must never be read as a smaller one, and a
 * silently mangled Kazakh name is worse than a clear error.
 */
public final class CsvPortalSource implements PortalSource {
    private final Path folder;
    private final Map<Entity, String> fileNames;
    private final FieldMapping mapping;
    private final Format format;

    /**
     * How the portal writes its files.
     *
     * @param delimiter the field delimiter, or empty: the header line decides between {@code ,} {@code ;} and tab
     * @param charset   the files' encoding; bytes that are not valid in it refuse the file
     */
    public record Format(Optional<Character> delimiter, Charset charset) {
        public static final Format DEFAULT = new Format(Optional.empty(), StandardCharsets.UTF_8);

        public Format {
            Objects.requireNonNull(delimiter, "delimiter");
            Objects.requireNonNull(charset, "charset");
        }
    }

    public CsvPortalSource(Path folder, Map<Entity, String> fileNames, FieldMapping mapping, Format format) {
        this.folder = Objects.requireNonNull(folder, "folder");
        this.fileNames = Map.copyOf(fileNames);
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.format = Objects.requireNonNull(format, "format");
    }

    public CsvPortalSource(Path folder) {
        this(folder, Map.of(), FieldMapping.identity(), Format.DEFAULT);
    }

    public Path file(Entity entity) {
        return folder.resolve(fileNames.getOrDefault(entity, entity.key() + ".csv"));
    }

    @Override
    public String describe() {
        return "csv:" + folder;
    }

    @Override
    public List<RawRecord> rows(Entity entity) {
        Path file = file(entity);
        String name = file.getFileName().toString();
        String text;
        try {
            byte[] bytes = Files.readAllBytes(file);
            text = format.charset().newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new SourceUnavailableException(name + ": not " + format.charset().name() + " text (re-export it as "
                    + format.charset().name() + ", or set sync.portal.csv.encoding to the export's encoding, e.g. windows-1251)", e);
        } catch (IOException e) {
            throw new SourceUnavailableException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<StrictCsv.Row> lines;
        try {
            lines = StrictCsv.read(text, format.delimiter().orElseGet(() -> StrictCsv.detectDelimiter(text, ",;\t")));
            if (!lines.isEmpty()) {
                StrictCsv.requireHeaderWidth(lines, 0);
            }
        } catch (StrictCsv.Broken e) {
            throw new SourceUnavailableException(name + " " + e.getMessage() + "; the file is refused as a whole, nothing was read from it", e);
        }
        if (lines.isEmpty()) {
            throw new SourceUnavailableException(name + ": empty file, not even a header line");
        }
        List<String> header = lines.getFirst().cells();
        List<RawRecord> out = new ArrayList<>(lines.size() - 1);
        for (StrictCsv.Row line : lines.subList(1, lines.size())) {
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), line.cell(i));
            }
            out.add(new RawRecord(name + " line " + line.line(), mapping.toCanonical(entity, row)));
        }
        return out;
    }
}
