package kz.qatysu.tool.moodle;

import kz.qatysu.config.Secret;

import java.net.URI;

/**
 * One Moodle: the LTI platform issuer it answers for, its base URL and a web service token ({@code moodle[i].*}). The
 * one place the tool knows a Moodle's web services: the warnings' Moodle messages and the quiz gate both use it.
 */
public record MoodleSite(String issuer, URI url, Secret token) {
    @Override
    public String toString() {
        return "MoodleSite[issuer=" + issuer + ", url=" + url + ", token=<masked>]";
    }
}
