package kz.qatysu.sync.sections;

import kz.qatysu.connectors.http.Json;
import kz.qatysu.connectors.qatysu.ToolClient;
import kz.qatysu.connectors.qatysu.ToolModel;
import kz.qatysu.sync.engine.Action;
import kz.qatysu.sync.engine.Change;
import kz.qatysu.sync.engine.Outcome;
import kz.qatysu.sync.engine.SyncTarget;
import kz.qatysu.sync.engine.ToolWrites;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sections and their rosters in the Qatysu tool ({@code qatysu.sections}, {@code qatysu.enrolments}): one idempotent
 * PUT per section. A section gone from the portal keeps its data in the tool (nothing is withdrawn).
 */
public final class ToolSectionsTarget implements SyncTarget {
    public static final String SECTIONS = "qatysu.sections";
    public static final String ENROLMENTS = "qatysu.enrolments";

    private final String name;
    private final ToolClient tool;

    private ToolSectionsTarget(String name, ToolClient tool) {
        this.name = name;
        this.tool = Objects.requireNonNull(tool, "tool");
    }

    public static ToolSectionsTarget sections(ToolClient tool) {
        return new ToolSectionsTarget(SECTIONS, tool);
    }

    public static ToolSectionsTarget enrolments(ToolClient tool) {
        return new ToolSectionsTarget(ENROLMENTS, tool);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int batchSize() {
        return 20;
    }

    @Override
    public boolean suspendsMissing() {
        return false;
    }

    @Override
    public List<Outcome> apply(Action action, List<Change> batch) {
        List<Outcome> out = new ArrayList<>();
        for (Change c : batch) {
            if (action == Action.SUSPEND) {
                out.add(Outcome.ok(c.key(), c.key()));
                continue;
            }
            Map<String, String> f = c.desired().fields();
            out.add(ToolWrites.put(c.key(), () -> {
                if (name.equals(SECTIONS)) {
                    tool.putSection(c.key(), new ToolModel.SectionBody(f.get("title"), LocalDate.parse(f.get("termStart")),
                            LocalDate.parse(f.get("termEnd")), f.getOrDefault("openedxCourseKey", "")));
                } else {
                    tool.putEnrolments(c.key(), List.of(Json.MAPPER.readValue(f.get("enrolments"), ToolModel.EnrolmentBody[].class)));
                }
            }));
        }
        return out;
    }
}
