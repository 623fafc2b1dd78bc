package kz.qatysu.sync.engine;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PlannerTest {
    static Desired d(String key, String email) {
        return Desired.of(key, Map.of("email", email));
    }

    static LedgerState known(Desired d) {
        return new LedgerState(d.key(), d.hash(), "id-" + d.key(), false);
    }

    @Test
    void new_changed_unchanged_and_missing_records_become_create_update_noop_and_suspend() {
        Desired same = d("P-1", "a@u.kz");
        Desired changed = d("P-2", "new@u.kz");
        Desired fresh = d("P-3", "c@u.kz");
        var ledger = Map.of("P-1", known(same), "P-2", known(d("P-2", "old@u.kz")), "P-9", known(d("P-9", "gone@u.kz")));

        Plan plan = Planner.plan("moodle.users", List.of(same, changed, fresh), ledger, true);

        assertThat(plan.changes()).extracting(Change::key, Change::action).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("P-2", Action.UPDATE),
                org.assertj.core.groups.Tuple.tuple("P-3", Action.CREATE),
                org.assertj.core.groups.Tuple.tuple("P-9", Action.SUSPEND));
        assertThat(plan.noops()).isEqualTo(1);
        assertThat(plan.known()).isEqualTo(3);
        assertThat(plan.of(Action.SUSPEND).getFirst().reason()).isEqualTo("gone from the portal");
    }

    @Test
    void the_same_source_against_its_own_ledger_plans_nothing() {
        List<Desired> source = List.of(d("P-1", "a@u.kz"), d("P-2", "b@u.kz"));
        var ledger = Map.of("P-1", known(source.get(0)), "P-2", known(source.get(1)));

        Plan plan = Planner.plan("moodle.users", source, ledger, true);

        assertThat(plan.changes()).isEmpty();
        assertThat(plan.noops()).isEqualTo(2);
    }

    @Test
    void an_expelled_person_is_suspended_once_and_never_created() {
        Desired expelled = new Desired("P-1", Map.of("email", "a@u.kz"), true);
        Desired neverSeen = new Desired("P-2", Map.of("email", "b@u.kz"), true);

        Plan first = Planner.plan("moodle.users", List.of(expelled, neverSeen), Map.of("P-1", known(d("P-1", "a@u.kz"))), true);
        assertThat(first.changes()).singleElement().satisfies(c -> {
            assertThat(c.key()).isEqualTo("P-1");
            assertThat(c.action()).isEqualTo(Action.SUSPEND);
        });

        var after = Map.of("P-1", new LedgerState("P-1", expelled.hash(), "id", true));
        assertThat(Planner.plan("moodle.users", List.of(expelled), after, true).changes()).isEmpty();
    }

    @Test
    void a_suspended_record_that_returns_unchanged_is_reactivated() {
        Desired back = d("P-1", "a@u.kz");
        var ledger = Map.of("P-1", new LedgerState("P-1", back.hash(), "id", true));

        assertThat(Planner.plan("moodle.users", List.of(back), ledger, true).changes())
                .singleElement().satisfies(c -> {
                    assertThat(c.action()).isEqualTo(Action.UPDATE);
                    assertThat(c.reason()).isEqualTo("active again in the portal");
                });
    }

    @Test
    void a_target_that_keeps_missing_records_does_not_suspend_them() {
        Plan plan = Planner.plan("moodle.grades", List.of(), Map.of("G-1", known(d("G-1", "x"))), false);
        assertThat(plan.changes()).isEmpty();
        assertThat(plan.noops()).isEqualTo(1);
    }

    @Test
    void an_update_is_explained_field_by_field() {
        var diff = Planner.diff(Map.of("email", "old@u.kz", "lastname", "Әлиев"),
                Desired.of("P-1", Map.of("email", "new@u.kz", "lastname", "Әлиев", "group", "ИС-21-1")));
        assertThat(diff).extracting(FieldChange::toString)
                .containsExactly("email: 'old@u.kz' → 'new@u.kz'", "group: '' → 'ИС-21-1'");
    }

    @Test
    void the_valve_refuses_mass_suspension_and_mass_change_but_not_growth() {
        List<Change> suspends = java.util.stream.IntStream.range(0, 6)
                .mapToObj(i -> new Change("P-" + i, Action.SUSPEND, null, null, List.of(), "gone")).toList();
        assertThat(SafetyValve.check(new Plan("moodle.users", 100, suspends, 94), SafetyLimits.DEFAULT))
                .containsExactly("moodle.users: would suspend 6 of 100 records (6.0 %, limit 5.0 %)");

        List<Change> updates = java.util.stream.IntStream.range(0, 21)
                .mapToObj(i -> new Change("P-" + i, Action.UPDATE, null, null, List.of(), "changed")).toList();
        assertThat(SafetyValve.check(new Plan("moodle.users", 100, updates, 79), SafetyLimits.DEFAULT))
                .containsExactly("moodle.users: would change 21 of 100 records (21.0 %, limit 20.0 %)");

        List<Change> creates = java.util.stream.IntStream.range(0, 500)
                .mapToObj(i -> new Change("N-" + i, Action.CREATE, null, null, List.of(), "new")).toList();
        assertThat(SafetyValve.check(new Plan("moodle.users", 100, creates, 100), SafetyLimits.DEFAULT)).isEmpty();
        assertThat(SafetyValve.check(new Plan("moodle.users", 0, creates, 0), SafetyLimits.DEFAULT)).isEmpty();
    }

    @Test
    void a_source_with_too_many_rejected_records_is_refused() {
        assertThat(SafetyValve.checkErrors("persons", 100, 11, SafetyLimits.DEFAULT))
                .isEqualTo("persons: 11 of 100 source records were rejected (11.0 %, limit 10.0 %) — the export looks broken");
        assertThat(SafetyValve.checkErrors("persons", 100, 10, SafetyLimits.DEFAULT)).isNull();
    }

    @Test
    void whole_list_records_are_judged_by_the_entries_they_lose_not_by_how_many_lists_changed() {
        // 40 sections of 30 students; in add/drop week every roster gains one student and loses none
        List<Desired> grown = new java.util.ArrayList<>();
        Map<String, LedgerState> ledger = new java.util.HashMap<>();
        for (int i = 0; i < 40; i++) {
            ledger.put("SEC-" + i, new LedgerState("SEC-" + i, "old", "SEC-" + i, false, 30));
            grown.add(Desired.of("SEC-" + i, Map.of("enrolments", "[…31 entries…]", "count", "31")));
        }
        Plan addDrop = Planner.plan("qatysu.enrolments", grown, ledger, false);
        assertThat(addDrop.count(Action.UPDATE)).isEqualTo(40);
        assertThat(SafetyValve.check(addDrop, SafetyLimits.DEFAULT)).isEmpty();

        // a truncated export: every roster drops to 20
        List<Desired> truncated = grown.stream().map(d -> Desired.of(d.key(), Map.of("enrolments", "[…20…]", "count", "20"))).toList();
        Plan plan = Planner.plan("qatysu.enrolments", truncated, ledger, false);
        assertThat(plan.knownItems()).isEqualTo(1200);
        assertThat(plan.removedItems()).isEqualTo(400);
        assertThat(SafetyValve.check(plan, SafetyLimits.DEFAULT))
                .containsExactly("qatysu.enrolments: would remove 400 of 1200 entries from its lists (33.3 %, limit 5.0 %)");
    }
}
