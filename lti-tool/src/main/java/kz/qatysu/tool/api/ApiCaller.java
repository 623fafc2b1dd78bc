package kz.qatysu.tool.api;

import java.util.Set;

/** Who called the API: the token's name (for audit rows) and its scopes. */
public record ApiCaller(String name, Set<Scope> scopes) {
    public boolean has(Scope scope) {
        return scopes.contains(scope) || scopes.contains(Scope.ADMIN);
    }
}
