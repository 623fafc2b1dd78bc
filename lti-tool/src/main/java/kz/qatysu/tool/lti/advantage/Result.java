package kz.qatysu.tool.lti.advantage;

import java.net.URI;
import java.time.Instant;

/** An AGS 2.0 result: the grade the platform holds for one user on one line item; scores and comment may be null. */
public record Result(URI id, String userId, Double resultScore, Double resultMaximum, String comment, URI scoreOf,
                     Instant timestamp) {
}
