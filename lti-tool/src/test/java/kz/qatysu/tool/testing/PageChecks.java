package kz.qatysu.tool.testing;

import com.fasterxml.jackson.databind.JsonNode;
import org.openqa.selenium.JavascriptExecutor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * What a browser test checks on any page (issue 12 §6), written once: the page does not scroll sideways, its tap
 * targets are at least 24×24 CSS px (or spaced as WCAG 2.2's 2.5.8 allows), and axe-core finds nothing serious.
 * Each check returns the problems as lines ("what · where"), empty when the page passes, so a test visiting many
 * pages can report them all at once.
 */
public final class PageChecks {
    /**
     * axe-core rules the issue named besides the serious and critical ones: the projector page had no main landmark,
     * no h1 and content outside landmarks; tables had empty header cells; the course report's scrolling table could
     * not be reached by keyboard (serious in the axe-core the issue used, moderate in the WebJar's).
     */
    public static final Set<String> ALSO_FAILING = Set.of("scrollable-region-focusable", "landmark-one-main", "page-has-heading-one",
            "region", "empty-table-header");

    /**
     * The page's width against the viewport's, and the elements that stick out on the right (the first few).
     */
    private static final String SIDEWAYS = """
            const w = arguments[0], sw = document.scrollingElement.scrollWidth;
            if (sw <= w) return [];
            const out = [];
            for (const e of document.body.querySelectorAll('*')) {
              const r = e.getBoundingClientRect();
              if (r.right > w + 0.5 && r.width > 0) {
                const p = e.parentElement && e.parentElement.getBoundingClientRect();
                if (!p || p.right <= w + 0.5) out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && e.className.baseVal === undefined ? '.' + String(e.className).trim().replace(/\\s+/g, '.') : '') + ' right=' + Math.round(r.right));
              }
              if (out.length >= 5) break;
            }
            return ['scrolls sideways: ' + sw + ' px wide at ' + w + ' px' + (out.length ? ' (' + out.join('; ') + ')' : '')];""";

    /**
     * Tap targets (links, buttons, inputs, selects, textareas, summaries) smaller than 24×24 CSS px, unless WCAG 2.2's
     * exceptions apply: a link inside running text (its block has words of its own), or spacing (a 24 px circle on
     * the target's centre touches no other target, line by line for a link that wraps, and no other small target's
     * circle). A control inside a label (or
     * counts as its label, which activates it.
     */
    private static final String TARGETS = """
            const seen = new Set(), targets = [];
            const visible = e => { const s = getComputedStyle(e), r = e.getBoundingClientRect();
                                   return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
            for (const e of document.querySelectorAll('a[href],button,input:not([type=hidden]),select,textarea,summary')) {
              if (!visible(e)) continue;
              const label = e.closest('label');
              const box = label && visible(label) && !['A', 'BUTTON'].includes(e.tagName) ? label : e;
              if (seen.has(box)) continue;
              seen.add(box);
              targets.push({e, box, r: box.getBoundingClientRect(), lines: [...box.getClientRects()]});
            }
            const block = e => { let b = e.parentElement;
              while (b && ['inline', 'inline-block', 'contents'].includes(getComputedStyle(b).display)) b = b.parentElement; return b; };
            const inSentence = e => { if (e.tagName !== 'A') return false; const b = block(e); if (!b) return false;
              let text = b.textContent; for (const t of b.querySelectorAll('a,button,input,select,textarea')) text = text.replace(t.textContent, '');
              return /\\p{L}{2,}/u.test(text); };
            const small = t => t.r.width < 23.5 || t.r.height < 23.5;
            const centre = r => [(r.left + r.right) / 2, (r.top + r.bottom) / 2];
            const toRect = (x, y, r) => Math.hypot(Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - r.bottom));
            const out = [];
            for (const t of targets) {
              if (!small(t) || inSentence(t.e)) continue;
              const [x, y] = centre(t.r);
              const clash = targets.find(o => o !== t && !o.box.contains(t.box) && !t.box.contains(o.box)
                  && (o.lines.some(l => toRect(x, y, l) < 12) || (small(o) && Math.hypot(x - centre(o.r)[0], y - centre(o.r)[1]) < 24)));
              if (clash) {
                const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.name ? '[name=' + e.name + ']' : '')
                    + ' "' + (e.textContent || e.value || '').trim().slice(0, 30) + '"';
                out.push('tap target ' + Math.round(t.r.width) + 'x' + Math.round(t.r.height) + ' px: ' + name(t.e) + ' too close to ' + name(clash.e));
              }
            }
            return out;""";

    private PageChecks() {
    }

    /**
     * The page is no wider than the screen ({@code width} CSS px; a phone's browser widens its layout viewport to an
     * overflowing page, so {@code innerWidth} is no measure); else what sticks out.
     */
    public static List<String> sideways(JavascriptExecutor js, int width) {
        return strings(js.executeScript(SIDEWAYS, width));
    }

    /** Tap targets under 24×24 px that no WCAG 2.2 exception covers. */
    public static List<String> smallTargets(JavascriptExecutor js) {
        return strings(js.executeScript(TARGETS));
    }

    /** {@link #sideways} and {@link #smallTargets} of the open page on a screen {@code width} CSS px wide. */
    public static List<String> phone(JavascriptExecutor js, int width) {
        List<String> out = new ArrayList<>(sideways(js, width));
        out.addAll(smallTargets(js));
        return out;
    }

    /**
     * What a reader should never see in a page's text (issue 12 §1): an ISO date or time ({@code 2026-09-02},
     * {@code 08:00:00.123456Z}), the IPv6 loopback, a raw enum constant ({@code ABSENCES_ROSE}, or one of the one-word
     * statuses a page must put in words: {@code PENDING}, {@code ABSENT}, {@code LOCKED} …); each as "raw text: …".
     */
    public static List<String> rawText(JavascriptExecutor js) {
        return strings(js.executeScript("""
                const text = document.body.innerText, out = [];
                for (const re of [/\\b\\d{4}-\\d{2}-\\d{2}(T[\\d:.]+Z?)?\\b/g, /\\[?0:0:0:0:0:0:0:1\\]?/g, /\\b[A-Z]{2,}(_[A-Z]{2,})+\\b/g,
                                  /\\b(PENDING|SENDING|FAILED|SKIPPED|OBSOLETE|PRESENT|ABSENT|LATE|EXCUSED|WARNING|LOCKED|LIFTED|ADMITTED)\\b/g]) {
                  for (const m of text.matchAll(re)) { out.push('raw text: ' + m[0]); if (out.length > 5) return out; }
                }
                return out;"""));
    }

    /** axe-core's script from the WebJar on the test class path (Maven Central, {@code org.webjars.npm:axe-core}). */
    public static String axeScript() {
        ClassLoader loader = PageChecks.class.getClassLoader();
        try (InputStream pom = loader.getResourceAsStream("META-INF/maven/org.webjars.npm/axe-core/pom.properties")) {
            if (pom == null) {
                throw new IllegalStateException("the axe-core WebJar is not on the test class path (lti-tool/pom.xml)");
            }
            Properties p = new Properties();
            p.load(pom);
            try (InputStream js = loader.getResourceAsStream("META-INF/resources/webjars/axe-core/" + p.getProperty("version") + "/axe.min.js")) {
                return new String(js.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs axe-core (WCAG 2.x A and AA rules and best practices) on the open page and returns its serious and critical
     * violations and those of {@link #ALSO_FAILING}, each as "impact rule-id: help · targets"; {@code notes} gets the
     * rest (moderate, minor) to print.
     */
    public static List<String> axe(JavascriptExecutor js, String axeScript, List<String> notes) {
        if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe === 'object'"))) {
            js.executeScript(axeScript);
        }
        Object json = js.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']},
                                   resultTypes: ['violations']})
                   .then(r => done(JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                         targets: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))), e => done('ERR ' + e));""");
        if (String.valueOf(json).startsWith("ERR")) {
            throw new AssertionError("axe-core failed: " + json);
        }
        List<String> out = new ArrayList<>();
        try {
            for (JsonNode v : Api.JSON.readTree(String.valueOf(json))) {
                String line = v.path("impact").asText() + " " + v.path("id").asText() + ": " + v.path("help").asText() + " · "
                        + v.path("targets").toString();
                String impact = v.path("impact").asText();
                if (impact.equals("serious") || impact.equals("critical") || ALSO_FAILING.contains(v.path("id").asText())) {
                    out.add(line);
                } else {
                    notes.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** How long axe may take on a page. */
    public static final Duration AXE_TIMEOUT = Duration.ofSeconds(30);

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object o) {
        return o == null ? List.of() : new ArrayList<>((List<String>) o);
    }
}
