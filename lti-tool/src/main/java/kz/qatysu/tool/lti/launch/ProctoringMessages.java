package kz.qatysu.tool.lti.launch;

import kz.qatysu.tool.lti.session.ToolSession;
import org.jdbi.v3.core.Handle;

/**
 * What the tool does with an accepted LTI Proctoring Services message ({@code LtiStartProctoring},
 * {@code LtiEndAssessment}): runs inside the launch's transaction after the nonce is recorded; may refuse the launch
 * with an {@link kz.qatysu.tool.lti.LtiException} (a refused launch's writes are kept, e.g. the unknown exam it named).
 */
public interface ProctoringMessages {

    /** The session to open (it may carry the exam's section) and the page under its pages base the browser lands on. */
    record Accepted(ToolSession session, String landing) {
    }

    Accepted accept(Handle h, Launch launch, ToolSession session);
}
