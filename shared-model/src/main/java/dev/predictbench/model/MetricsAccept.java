package dev.predictbench.model;

import dev.predictbench.model.http.HttpEdge;
import java.util.List;
import java.util.Locale;

/**
 * Which Accept headers {@code GET /metrics} answers, the same on every stack, decided here rather
 * than by each framework's own negotiation, which differs from one to the next. The rule: {@code /metrics} is served when the Accept
 * header allows the Prometheus text format ({@code text/plain}) or OpenMetrics
 * ({@code application/openmetrics-text}), by the most specific media range that matches (RFC 9110,
 * section 12.5.1: {@code text/plain;q=0, *}{@code /*} allows neither text); an absent or blank
 * header allows everything. Otherwise 406 NOT_ACCEPTABLE with the contract's JSON error.
 */
public final class MetricsAccept {
    /** The format every stack can answer, and what a stack whose own negotiation is unreliable is handed. */
    public static final String PROMETHEUS_TEXT = "text/plain";
    /** The OpenMetrics media type; where a stack offers it and the client prefers it, the stack may answer it. */
    public static final String OPENMETRICS = "application/openmetrics-text";

    private MetricsAccept() {
    }

    /** Whether {@code GET /metrics} with this Accept header (null when absent) is answered. */
    public static boolean acceptable(String accept) {
        return accept == null || accept.isBlank() || quality(accept, "text", "plain") > 0
                || quality(accept, "application", "openmetrics-text") > 0;
    }

    /** The 406 for an Accept header that {@link #acceptable(String)} refuses. */
    public static ApiException notAcceptable(String accept) {
        return new ApiException(ErrorCode.NOT_ACCEPTABLE, "GET /metrics answers " + PROMETHEUS_TEXT + " (Prometheus) or "
                + OPENMETRICS + "; Accept was '" + HttpEdge.printable(accept) + "'");
    }

    /** Throws {@link #notAcceptable(String)} unless {@link #acceptable(String)}. */
    public static void check(String accept) {
        if (!acceptable(accept)) {
            throw notAcceptable(accept);
        }
    }

    /**
     * {@link #check(String)} for every Accept header of a request, as each framework lists them
     * (none: the header is absent): several headers are one list (RFC 9110, section 5.3).
     */
    public static void check(List<String> acceptHeaders) {
        check(acceptHeaders.isEmpty() ? null : String.join(",", acceptHeaders));
    }

    /**
     * The quality the Accept header gives {@code type/subtype}: that of the most specific range
     * that matches it (exact, then {@code type/*}, then {@code *}{@code /*}); 0 when none does.
     * Parameters other than {@code q} do not narrow the match; an unreadable q counts as 1, a
     * range without a slash is ignored.
     */
    static double quality(String accept, String type, String subtype) {
        int bestSpecificity = 0;
        double q = 0;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            if (parts.length == 0) {
                continue; // ";;;": no media range at all
            }
            String media = parts[0].trim().toLowerCase(Locale.ROOT);
            int slash = media.indexOf('/');
            if (slash <= 0 || slash == media.length() - 1) {
                continue;
            }
            String t = media.substring(0, slash).trim();
            String s = media.substring(slash + 1).trim();
            int specificity = t.equals(type) && s.equals(subtype) ? 3 : t.equals(type) && s.equals("*") ? 2
                    : t.equals("*") && s.equals("*") ? 1 : 0;
            if (specificity == 0 || specificity < bestSpecificity) {
                continue;
            }
            double rangeQ = 1;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                    try {
                        rangeQ = Double.parseDouble(p.substring(2).trim());
                    } catch (NumberFormatException e) {
                        rangeQ = 1;
                    }
                }
            }
            if (specificity > bestSpecificity) {
                bestSpecificity = specificity;
                q = rangeQ;
            } else {
                q = Math.max(q, rangeQ);
            }
        }
        return Double.isNaN(q) ? 0 : q;
    }
}
