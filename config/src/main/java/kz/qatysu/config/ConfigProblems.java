package kz.qatysu.config;

import java.util.ArrayList;
import java.util.List;

/** Collects problems while a configuration is bound, so start-up can report all of them at once. */
public final class ConfigProblems {
    private final List<ConfigProblem> problems = new ArrayList<>();

    public void add(String path, String problem) {
        problems.add(new ConfigProblem(path, problem));
    }

    public List<ConfigProblem> list() {
        return List.copyOf(problems);
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
