package kz.qatysu.sync.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a small CSV university (persons, sections, enrolments, timetable, grades) into a drop folder. */
public final class Univ {
    private Univ() {
    }

    public static void write(Path dir, String file, String content) {
        try {
            Files.writeString(dir.resolve(file), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code students} students in groups of 25 (ИС-21-1, ИС-21-2, …), two teachers, {@code sections} sections. */
    public static void standard(Path dir, int students, int sections) {
        StringBuilder p = new StringBuilder("id;login;email;role;status;group;last_name_kk;first_name_kk\n");
        for (int i = 0; i < students; i++) {
            p.append("P-%04d;s%04d;s%04d@univ.kz;student;active;ИС-21-%d;Сұлтанбек;Әсел\n".formatted(i, i, i, i / 25 + 1));
        }
        p.append("T-1;t.abay;t.abay@univ.kz;teacher;active;;Құнанбайұлы;Абай\n");
        p.append("T-2;t.mukagali;t.mukagali@univ.kz;teacher;active;;Мақатаев;Мұқағали\n");
        write(dir, "persons.csv", p.toString());
        StringBuilder s = new StringBuilder("code;discipline;title;term;term_start;term_end;faculty;teachers;hours;credits\n");
        StringBuilder e = new StringBuilder("section;person;role\n");
        for (int k = 0; k < sections; k++) {
            s.append("CS%03d-2026-1;CS%03d;Бағдарламалау негіздері %d;2026-1;2026-09-01;2026-12-25;IT;T-%d;45;5\n"
                    .formatted(k, k, k, k % 2 + 1));
            for (int i = 0; i < students; i++) {
                e.append("CS%03d-2026-1;P-%04d;student\n".formatted(k, i));
            }
        }
        write(dir, "sections.csv", s.toString());
        write(dir, "enrolments.csv", e.toString());
    }
}
