package kz.qatysu.sync.engine;

import kz.qatysu.connectors.portal.RecordError;
import kz.qatysu.connectors.portal.SourceBatch;

import java.util.List;

/** How reading one source entity went: rows read and records rejected (named, with field, value and reason). */
public record SourceRead(String source, int rows, List<RecordError> errors) {
    public SourceRead {
        errors = List.copyOf(errors);
    }

    public static SourceRead of(String source, SourceBatch<?> batch) {
        return new SourceRead(source, batch.rowsRead(), batch.errors());
    }
}
