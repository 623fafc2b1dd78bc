package kz.qatysu.tool.course.mapping;

import kz.qatysu.tool.api.ApiException;

import java.util.List;

/** Why a course mapping was refused; nothing was changed. The page shows {@code mapping.error.<reason>}. */
public final class MappingRefused extends RuntimeException {
    public enum Reason {
        /** 404: not a local course section, or no such section. */
        NOT_LOCAL(404),
        /** 409: the course is mapped already. */
        ALREADY_MAPPED(409),
        /** 400: no target section given. */
        TARGET_REQUIRED(400),
        /** 400: the target is itself a local course section. */
        TARGET_LOCAL(400),
        /** 400: the portal has not sent the target section. */
        TARGET_UNKNOWN(400);

        final int status;

        Reason(int status) {
            this.status = status;
        }
    }

    private final Reason reason;

    MappingRefused(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** The API's answer: 400 details name {@code sectionId}. */
    public ApiException toApi() {
        return reason.status == 400
                ? new ApiException(400, "invalid course mapping: nothing was changed", List.of(new ApiException.Detail("sectionId", getMessage())))
                : new ApiException(reason.status, getMessage());
    }
}
