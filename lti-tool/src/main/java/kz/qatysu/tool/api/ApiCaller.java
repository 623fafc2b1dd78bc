package kz.qatysu.tool.api;

import java.util.Optional;
import java.util.Set;

/**
 * Who called the API: the token's name (for audit rows), its scopes and, for a token issued for a person (a proctor),
 * that person's id.
 */
public record ApiCaller(String name, Set<Scope> scopes, Optional<String> personId) {
    public ApiCaller(String name, Set<Scope> scopes) {
        this(name, scopes, Optional.empty());
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope) || scopes.contains(Scope.ADMIN);
    }

    /** The name for audit rows and decisions: the person when the token stands for one, else the token's name. */
    public String actor() {
        return personId.orElse(name);
    }
}
