package kz.qatysu.tool.course;

import io.javalin.http.Context;
import kz.qatysu.tool.course.CourseViews.GridMark;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The marking grid's form as submitted, as text (see {@link CourseHandler#saveMarks} for the fields). At most 2000
 * rows are read.
 *
 * @param bulk       {@code all} or {@code selected} when a "set the status" button was pressed (nothing is saved), else null
 * @param bulkStatus the status to set
 */
record GridForm(List<Row> rows, String bulk, String bulkStatus) {
    static final int MAX_ROWS = 2000;

    /**
     * One row. {@code version}: the version the mark was read at (null = not given: the row writes whatever is
     * stored; -1 = not a number); {@code original}: the mark as read (null = not given); {@code inConflict}: the row
     * showed a conflict, and {@code choice} is the teacher's answer ({@code theirs}, {@code mine} or "").
     */
    record Row(int index, String personId, String status, String minutes, String reason, Long version, GridMark original,
               boolean inConflict, String choice, boolean selected) {

        /** The row as it was read: the teacher changed nothing in it. */
        boolean untouched() {
            return original != null && original.sameAs(status, minutes, reason);
        }

        Row withStatus(String newStatus) {
            return new Row(index, personId, newStatus, minutes, reason, version, original, inConflict, choice, selected);
        }
    }

    static GridForm read(Context ctx) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < MAX_ROWS && ctx.formParam("p." + i) != null; i++) {
            String version = field(ctx, "v." + i);
            Long v = version.isEmpty() ? null : version.matches("\\d{1,18}") ? Long.valueOf(version) : Long.valueOf(-1);
            GridMark original = ctx.formParam("o." + i) == null ? null : GridMark.decode(ctx.formParam("o." + i));
            String choice = field(ctx, "k." + i);
            rows.add(new Row(i, ctx.formParam("p." + i), field(ctx, "s." + i), field(ctx, "m." + i), field(ctx, "r." + i),
                    v, original, ctx.formParam("c." + i) != null,
                    choice.equals("theirs") || choice.equals("mine") ? choice : "", ctx.formParam("sel." + i) != null));
        }
        String bulk = field(ctx, "bulk");
        return new GridForm(rows, bulk.equals("all") || bulk.equals("selected") ? bulk : null, field(ctx, "bulkStatus"));
    }

    private static String field(Context ctx, String name) {
        return Optional.ofNullable(ctx.formParam(name)).orElse("").strip();
    }
}
