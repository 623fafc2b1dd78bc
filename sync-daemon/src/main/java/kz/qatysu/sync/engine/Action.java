package kz.qatysu.sync.engine;

/**
 * What a plan does to one record in one target. There is no delete: a record gone from the source, or a person
 * expelled or graduated, is {@link #SUSPEND}ed (user suspended, enrolment suspended, course hidden, group membership
 * withdrawn, the sync's own calendar event withdrawn) — nothing that holds work or grades is removed.
 */
public enum Action { CREATE, UPDATE, SUSPEND, NOOP }
