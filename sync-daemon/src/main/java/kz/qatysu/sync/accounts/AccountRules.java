package kz.qatysu.sync.accounts;

import kz.qatysu.connectors.portal.Person;
import kz.qatysu.connectors.portal.PersonName;
import kz.qatysu.sync.engine.Desired;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Portal person → the Moodle account it should have. Pure. The Moodle {@code idnumber} is the portal person id, so
 * the LTI launch's {@code lis.person_sourcedid} maps straight onto the synced roster; expelled and graduated people
 * (and, by default, those on academic leave) are suspended, never deleted.
 */
public final class AccountRules {
    private final Person.Script script;
    private final Set<Person.Status> suspendedStatuses;
    private final String auth;
    private final String lang;

    public AccountRules(Person.Script script, Set<Person.Status> suspendedStatuses, String auth, String lang) {
        this.script = script;
        this.suspendedStatuses = Set.copyOf(suspendedStatuses);
        this.auth = auth;
        this.lang = lang;
    }

    public Desired moodleUser(Person p) {
        PersonName name = p.name(script);
        Map<String, String> f = new LinkedHashMap<>();
        f.put("username", p.login());
        f.put("idnumber", p.id());
        f.put("email", p.email());
        f.put("firstname", name.first());
        f.put("lastname", name.last());
        f.put("middlename", name.middle() == null ? "" : name.middle());
        if (p.latin() != null && p.latin() != name) {
            f.put("firstnamephonetic", p.latin().first());
            f.put("lastnamephonetic", p.latin().last());
        }
        f.put("department", p.faculty() == null ? "" : p.faculty());
        f.put("auth", auth);
        if (lang != null) {
            f.put("lang", lang);
        }
        return new Desired(p.id(), f, suspendedStatuses.contains(p.status()));
    }

    public boolean active(Person p) {
        return !suspendedStatuses.contains(p.status());
    }

    /**
     * Why the accounts job gives {@code p} no Moodle account when it has none yet (nothing is created just to be
     * suspended), or null when it should have one. Later steps report such a person's records as skipped, not failed.
     */
    public String noAccountReason(Person p) {
        return active(p) ? null : "status " + p.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                + ": the accounts job deliberately creates no Moodle account for it (sync.accounts.suspendStatuses)";
    }
}
