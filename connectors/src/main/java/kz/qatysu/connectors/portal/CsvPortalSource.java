package kz.qatysu.connectors.portal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * CSV files dropped in a folder: {@code persons.csv}, {@code sections.csv}, {@code enrolments.csv},
 * {@code timetable.csv}, {@code grades.csv} (names configurable), each with a header line. A file that is not
 * valid UTF-8 is refused as a whole rather than read with replaced characters — a silently mangled Kazakh name
 * is worse than a clear error.
 */
public final class CsvPortalSource implements PortalSource {
    private final Path folder;
    private final Map<Entity, String> fileNames;
    private final FieldMapping mapping;

    public CsvPortalSource(Path folder, Map<Entity, String> fileNames, FieldMapping mapping) {
        this.folder = Objects.requireNonNull(folder, "folder");
        this.fileNames = Map.copyOf(fileNames);
        this.mapping = Objects.requireNonNull(mapping, "mapping");
    }

    public CsvPortalSource(Path folder) {
        this(folder, Map.of(), FieldMapping.identity());
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
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new SourceUnavailableException(name + ": not UTF-8 text (re-export it as UTF-8; "
                    + "Windows-1251 or KZ-1048 exports are not accepted)", e);
        } catch (IOException e) {
            throw new SourceUnavailableException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<Csv.Line> lines = Csv.parse(text);
        if (lines.isEmpty()) {
            throw new SourceUnavailableException(name + ": empty file, not even a header line");
        }
        List<String> header = lines.getFirst().cells();
        List<RawRecord> out = new ArrayList<>(lines.size() - 1);
        for (Csv.Line line : lines.subList(1, lines.size())) {
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.size() && i < line.cells().size(); i++) {
                row.put(header.get(i), line.cells().get(i));
            }
            String ref = name + " line " + line.lineNumber();
            String defect = line.cells().size() == header.size() ? null
                    : line.cells().size() + " cells where the header has " + header.size()
                    + " (an unquoted delimiter or a missing one shifts every value after it)";
            out.add(new RawRecord(ref, mapping.toCanonical(entity, row), defect));
        }
        return out;
    }
}
