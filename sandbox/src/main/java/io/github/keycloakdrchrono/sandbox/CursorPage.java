package io.github.keycloakdrchrono.sandbox;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DrChrono's list envelope: {@code previous}, {@code results}, {@code next}, where the links are full URLs carrying
 * an opaque {@code cursor}. The cursor encodes an offset the way Django REST framework's cursor pagination does,
 * and a cursor that does not decode is a 404, as there.
 */
final class CursorPage {

    /** DrChrono does not document its default; small enough that a realistic practice needs several pages. */
    static final int DEFAULT_PAGE_SIZE = 25;
    static final int MAX_PAGE_SIZE = 250;

    private CursorPage() {
    }

    /**
     * @param authority the host and port the client used, so that {@code next} leads back to the same place
     */
    static Map<String, Object> of(List<?> items, Request request, String authority) {
        int pageSize = pageSize(request.queryValue("page_size"));
        int offset = offset(request.queryValue("cursor"));
        int end = (int) Math.min((long) offset + pageSize, items.size());
        List<?> results = offset >= items.size() ? List.of() : items.subList(offset, end);

        Map<String, Object> page = new LinkedHashMap<>();
        page.put("previous", offset > 0 ? link(request, authority, Math.max(0, offset - pageSize)) : null);
        page.put("results", new ArrayList<>(results));
        page.put("next", end < items.size() ? link(request, authority, end) : null);
        return page;
    }

    private static int pageSize(String requested) {
        try {
            int size = Integer.parseInt(requested);
            return size > 0 ? Math.min(size, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
        } catch (NumberFormatException e) {
            return DEFAULT_PAGE_SIZE;
        }
    }

    private static int offset(String cursor) {
        if (cursor == null) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (decoded.startsWith("o=")) {
                int offset = Integer.parseInt(decoded.substring(2));
                if (offset >= 0) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // NumberFormatException included: both mean a cursor this server never handed out.
        }
        throw new Halt(Response.detail(404, "Invalid cursor"));
    }

    private static String link(Request request, String authority, int offset) {
        StringBuilder url = new StringBuilder("http://").append(authority).append(request.path());
        char separator = '?';
        for (Map.Entry<String, List<String>> param : request.query().entrySet()) {
            if (param.getKey().equals("cursor")) {
                continue;
            }
            for (String value : param.getValue()) {
                url.append(separator).append(encode(param.getKey())).append('=').append(encode(value));
                separator = '&';
            }
        }
        if (offset > 0) {
            String cursor = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(("o=" + offset).getBytes(StandardCharsets.US_ASCII));
            url.append(separator).append("cursor=").append(cursor);
        }
        return url.toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
