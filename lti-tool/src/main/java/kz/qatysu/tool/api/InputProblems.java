package kz.qatysu.tool.api;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem of a request body, so the client learns all of them at once; nothing is stored if any. */
public final class InputProblems {
    private final List<ApiException.Detail> details = new ArrayList<>();

    public void add(String path, String problem) {
        details.add(new ApiException.Detail(path, problem));
    }

    public boolean isEmpty() {
        return details.isEmpty();
    }

    public List<ApiException.Detail> list() {
        return List.copyOf(details);
    }

    /** Throws a 400 naming every problem, when there is one. */
    public void throwIfAny(String error) {
        if (!details.isEmpty()) {
            throw ApiException.badRequest(error, details);
        }
    }
}
