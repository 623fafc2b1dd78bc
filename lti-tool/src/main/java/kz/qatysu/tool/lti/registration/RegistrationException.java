package kz.qatysu.tool.lti.registration;

/** A refused dynamic registration; the message is the technical detail shown under the translated reason. */
public final class RegistrationException extends RuntimeException {
    private final RegistrationFailure failure;

    public RegistrationException(RegistrationFailure failure, String detail) {
        super(detail, null, false, false);
        this.failure = failure;
    }

    public RegistrationFailure failure() {
        return failure;
    }
}
