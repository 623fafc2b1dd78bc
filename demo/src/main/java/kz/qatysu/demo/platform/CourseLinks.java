package kz.qatysu.demo.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The course's LTI activities (Moodle: {@code mod_lti} instances). The first one is set up at start; deep linking
 * adds more. The {@code id} is the instance id Moodle sends as {@code resource_link.id}.
 */
final class CourseLinks {
    /** One activity: {@code url} is the tool URL Moodle sends as {@code target_link_uri}. */
    record ResourceLink(String id, String title, String description, String url, Map<String, String> custom) {
        /** Moodle's course module id, which the login initiation carries in {@code lti_message_hint}. */
        int cmid() {
            return Integer.parseInt(id) + 1;
        }
    }

    private final List<ResourceLink> links = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextId = new AtomicInteger(1);

    ResourceLink add(String title, String description, String url, Map<String, String> custom) {
        ResourceLink link = new ResourceLink(String.valueOf(nextId.getAndIncrement()), title, description, url, Map.copyOf(custom));
        links.add(link);
        return link;
    }

    Optional<ResourceLink> find(String id) {
        return links.stream().filter(l -> l.id().equals(id)).findFirst();
    }

    List<ResourceLink> all() {
        return new ArrayList<>(links);
    }
}
