package kz.qatysu.bench.lti;

import kz.qatysu.demo.platform.SampleCourse.Member;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The whole launch as a browser performs it, for {@code users} simulated users at once (one virtual thread and one
 * cookie jar each): the platform's launch page (auto-POST form) → POST the tool's {@code /lti/login} → the
 * platform's auth endpoint (Moodle's checks, RS256 signing) → POST the tool's {@code /lti/launch} → the tool's
 * landing page, which must greet the user by name. Bounded by a launch count and a deadline.
 */
final class FullFlowLoad {
    enum Step { PLATFORM_LAUNCH_PAGE, TOOL_LOGIN, PLATFORM_AUTH, TOOL_LAUNCH, TOOL_LANDING }

    record Result(int users, int completed, int failed, Map<String, Integer> failures, double seconds, Latencies total,
                  Map<Step, Latencies> steps) {
        double launchesPerSecond() {
            return completed / seconds;
        }
    }

    private final HttpClient http;
    private final String platformIssuer;
    private final String toolBase;

    FullFlowLoad(HttpClient http, String platformIssuer, String toolBase) {
        this.http = http;
        this.platformIssuer = platformIssuer;
        this.toolBase = toolBase;
    }

    Result run(List<Member> members, int users, int launches, Duration maxTime) throws InterruptedException {
        if (members.size() < users) {
            throw new IllegalArgumentException("need " + users + " distinct users, the course has " + members.size());
        }
        AtomicInteger claimed = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        List<List<long[]>> perUser = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            perUser.add(new ArrayList<>());
        }
        long deadline = System.nanoTime() + maxTime.toNanos();
        AtomicLong start = new AtomicLong();
        // Every user logs in on the platform first (not timed), then all start together.
        List<BenchBrowser> browsers = loginAll(members, users);
        start.set(System.nanoTime());
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < users; i++) {
                int u = i;
                pool.submit(() -> {
                    while (claimed.incrementAndGet() <= launches && System.nanoTime() < deadline) {
                        try {
                            perUser.get(u).add(launchOnce(browsers.get(u), members.get(u)));
                            completed.incrementAndGet();
                        } catch (StepFailure f) {
                            failed.incrementAndGet();
                            failures.merge(f.getMessage(), 1, Integer::sum);
                        } catch (RuntimeException e) {
                            failed.incrementAndGet();
                            failures.merge(e.getClass().getSimpleName() + ": " + e.getMessage(), 1, Integer::sum);
                        }
                    }
                });
            }
        }
        double seconds = (System.nanoTime() - start.get()) / 1e9;
        List<long[]> all = perUser.stream().flatMap(List::stream).toList();
        Map<Step, Latencies> steps = new EnumMap<>(Step.class);
        for (Step s : Step.values()) {
            steps.put(s, new Latencies(all.stream().mapToLong(r -> r[s.ordinal()]).toArray()));
        }
        Latencies total = new Latencies(all.stream().mapToLong(r -> r[Step.values().length]).toArray());
        return new Result(users, completed.get(), failed.get(), new TreeMap<>(failures), seconds, total, steps);
    }

    /**
     * The same launches at a fixed arrival rate (open loop): launch {@code k} is due at {@code k / rate} seconds and is
     * made by user {@code k % users}, who finishes any launch still running first.
     */
    OpenLoop.Result runPaced(List<Member> members, int users, double rate, int count, Duration maxTime) throws InterruptedException {
        List<BenchBrowser> browsers = loginAll(members, users);
        List<java.util.concurrent.locks.ReentrantLock> locks = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            locks.add(new java.util.concurrent.locks.ReentrantLock());
        }
        return OpenLoop.run(count, rate, users, maxTime, k -> () -> {
            int u = k % users;
            locks.get(u).lock();
            try {
                launchOnce(browsers.get(u), members.get(u));
            } finally {
                locks.get(u).unlock();
            }
        });
    }

    private List<BenchBrowser> loginAll(List<Member> members, int users) {
        if (members.size() < users) {
            throw new IllegalArgumentException("need " + users + " distinct users, the course has " + members.size());
        }
        List<BenchBrowser> browsers = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            BenchBrowser b = new BenchBrowser(http);
            HttpResponse<String> view = b.get(platformIssuer + "/demo/view?user=" + members.get(i).userId() + "&link=1");
            if (view.statusCode() != 200) {
                throw new IllegalStateException("demo login answered " + view.statusCode());
            }
            browsers.add(b);
        }
        return browsers;
    }

    /** One launch; returns the duration of each step and the total, in nanoseconds. */
    private long[] launchOnce(BenchBrowser b, Member member) {
        long[] t = new long[Step.values().length + 1];
        long t0 = System.nanoTime();
        HttpResponse<String> page = b.get(platformIssuer + "/demo/launch?link=1&target=iframe");
        expect(page, 200, Step.PLATFORM_LAUNCH_PAGE);
        long t1 = System.nanoTime();
        HttpResponse<String> login = b.postForm(BenchBrowser.formAction(page.body()), BenchBrowser.hiddenFields(page.body()));
        String authUrl;
        if (login.statusCode() == 302) {
            authUrl = login.headers().firstValue("Location").orElseThrow(() -> new StepFailure(Step.TOOL_LOGIN, "302 without Location"));
        } else if (login.statusCode() == 200 && BenchBrowser.continueLink(login.body()) != null) {
            authUrl = BenchBrowser.continueLink(login.body()); // first visit: the tool's cookie check page
        } else {
            throw new StepFailure(Step.TOOL_LOGIN, "HTTP " + login.statusCode());
        }
        long t2 = System.nanoTime();
        HttpResponse<String> auth = b.get(authUrl);
        expect(auth, 200, Step.PLATFORM_AUTH);
        var fields = BenchBrowser.hiddenFields(auth.body());
        if (!fields.containsKey("id_token")) {
            throw new StepFailure(Step.PLATFORM_AUTH, "no id_token but " + fields.keySet());
        }
        long t3 = System.nanoTime();
        HttpResponse<String> launch = b.postForm(BenchBrowser.formAction(auth.body()), fields);
        expect(launch, 303, Step.TOOL_LAUNCH);
        long t4 = System.nanoTime();
        String landingUrl = URI.create(toolBase + "/").resolve(launch.headers().firstValue("Location").orElseThrow()).toString();
        HttpResponse<String> landing = b.get(landingUrl);
        expect(landing, 200, Step.TOOL_LANDING);
        if (!landing.body().contains(member.givenName())) {
            throw new StepFailure(Step.TOOL_LANDING, "landing page without the user's name");
        }
        long t5 = System.nanoTime();
        t[0] = t1 - t0;
        t[1] = t2 - t1;
        t[2] = t3 - t2;
        t[3] = t4 - t3;
        t[4] = t5 - t4;
        t[5] = t5 - t0;
        return t;
    }

    private static void expect(HttpResponse<String> r, int status, Step step) {
        if (r.statusCode() != status) {
            throw new StepFailure(step, "HTTP " + r.statusCode());
        }
    }

    private static final class StepFailure extends RuntimeException {
        StepFailure(Step step, String what) {
            super(step + ": " + what, null, false, false);
        }
    }
}
