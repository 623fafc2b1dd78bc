package kz.qatysu.connectors.portal;

import java.util.Objects;

/**
 * How one entity is fetched from a portal's REST/JSON API.
 *
 * @param path          the path (relative to the portal base URL), may already carry query parameters
 * @param itemsPointer  JSON pointer to the array of records in a page ({@code ""} = the body is the array)
 * @param paging        how pages are requested
 * @param pageParam     {@code page} or {@code offset} parameter name
 * @param sizeParam     {@code size} / {@code limit} parameter name
 * @param pageSize      records per page
 * @param firstPage     number of the first page (0 or 1) for {@link Paging#PAGE}
 * @param nextPointer   JSON pointer to the next page's URL for {@link Paging#NEXT_LINK} (null or absent = last page)
 * @param totalPointer  JSON pointer to the total record count, when the API reports one (detects truncated paging)
 */
public record RestEndpoint(String path, String itemsPointer, Paging paging, String pageParam, String sizeParam, int pageSize,
                           int firstPage, String nextPointer, String totalPointer) {

    public enum Paging { NONE, PAGE, OFFSET, NEXT_LINK }

    public RestEndpoint {
        Objects.requireNonNull(path, "path");
        itemsPointer = itemsPointer == null ? "" : itemsPointer;
    }

    public static RestEndpoint pages(String path, String itemsPointer, int pageSize, String totalPointer) {
        return new RestEndpoint(path, itemsPointer, Paging.PAGE, "page", "size", pageSize, 1, null, totalPointer);
    }
}
