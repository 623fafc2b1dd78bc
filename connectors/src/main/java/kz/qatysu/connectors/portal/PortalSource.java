package kz.qatysu.connectors.portal;

import java.util.List;

/**
 * Where portal data comes from: REST/JSON, SQL views over JDBC, or CSV files dropped in a folder. Every kind
 * delivers the same canonical raw records; {@link PortalReader} turns them into the one model.
 */
public interface PortalSource extends AutoCloseable {

    /** For logs and reports: {@code csv:/srv/portal-drop}, {@code jdbc:v_students…}, {@code rest:https://portal…}. */
    String describe();

    /**
     * Every record of {@code entity}, keyed by canonical field names.
     *
     * @throws SourceUnavailableException when the entity cannot be read at all or was delivered incomplete
     */
    List<RawRecord> rows(Entity entity);

    @Override
    default void close() {
    }
}
