package kz.qatysu.config;

/** One configuration problem: the key path (e.g. {@code platforms[0].keySetUrl}) and what was expected. */
public record ConfigProblem(String path, String problem) {
    @Override
    public String toString() {
        return path + ": " + problem;
    }
}
