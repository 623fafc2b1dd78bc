package kz.qatysu.tool.lti.deeplinking;

import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.web.Messages;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The deep-linking content item of a proctored exam: an ltiResourceLink whose custom parameters name the resource
 * ({@code qatysu_resource: proctored-exam}) and the exam ({@code qatysu_exam}). No line item yet: results go back to
 * the LMS in the next issue.
 */
public final class ProctoredExamLink {
    /** The resource key; offered by exam on the choose page, not in the plain list of resources. */
    public static final String RESOURCE = ToolResource.PROCTORED_EXAM.key();
    /** The custom parameter naming the exam. */
    public static final String EXAM_PARAMETER = "qatysu_exam";
    /** The choose page's value for an exam: {@code proctored-exam:<examId>}. */
    public static final String CHOICE_PREFIX = RESOURCE + ":";

    private ProctoredExamLink() {
    }

    public static Map<String, Object> item(Exam exam, Messages t, String launchUrl) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("type", "ltiResourceLink");
        item.put("title", exam.title());
        item.put("text", t.t("proctoring.dl.text", t.t("proctoring.exams.kind." + exam.kind().name())));
        item.put("url", launchUrl);
        Map<String, Object> custom = new LinkedHashMap<>();
        custom.put(ToolResource.CUSTOM_PARAMETER, RESOURCE);
        custom.put(EXAM_PARAMETER, exam.id());
        item.put("custom", custom);
        return item;
    }
}
