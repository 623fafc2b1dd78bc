package kz.qatysu.tool.web;

/** The page every refused request shows: what went wrong in the user's language, and a reason code to quote. */
public record ErrorPage(Messages t, int status, String title, String message, String reasonCode, String hint) {
}
