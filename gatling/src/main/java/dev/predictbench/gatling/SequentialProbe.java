package dev.predictbench.gatling;

import dev.predictbench.results.RunRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The microsecond source: one request at a time over one keep-alive connection, each timed with
 * {@code System.nanoTime} from send to full response, into an HdrHistogram. Gatling's figures are
 * whole milliseconds; a tabular {@code /predict} often answers in far less, so the run record
 * carries this unloaded latency beside them, labelled with its source.
 */
public final class SequentialProbe {
    private SequentialProbe() {
    }

    public static RunRecord.Probe run(URI base, String path, List<String> bodies, int warmup, int requests) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Histogram histogram = new Histogram(3_600_000_000L, 3);
        long errors = 0;
        long started = 0;
        for (int i = 0; i < warmup + requests; i++) {
            HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i % bodies.size()))).build();
            if (i == warmup) {
                started = System.nanoTime();
            }
            long t0 = System.nanoTime();
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long nanos = System.nanoTime() - t0;
            if (i >= warmup) {
                if (response.statusCode() != 200) {
                    errors++;
                } else {
                    histogram.recordValue(nanos);
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long n = histogram.getTotalCount();
        java.util.List<String> withheld = new java.util.ArrayList<>();
        Double p90 = published(histogram, 90, withheld);
        Double p99 = published(histogram, 99, withheld);
        Double p999 = published(histogram, 99.9, withheld);
        return new RunRecord.Probe(requests, errors, LoadSteps.round(requests / seconds, 1),
                new RunRecord.Latency(us(histogram.getValueAtPercentile(50)), p90, p99, p999,
                        us(histogram.getMaxValue()), LoadSteps.round(histogram.getMean() / 1000, 1), "us",
                        "sequential probe: java.net.http client, one request at a time, System.nanoTime, HdrHistogram",
                        n, "1 ns recorded, published to 0.1 us (HdrHistogram, 3 significant digits)",
                        withheld.isEmpty() ? null : String.join("; ", withheld)));
    }

    /** A tail percentile, or null (and why) with fewer requests than LoadGen's early-stopping count. */
    private static Double published(Histogram h, double percentile, java.util.List<String> withheld) {
        long needed = dev.predictbench.gatling.load.Stability.minRequests(percentile);
        if (h.getTotalCount() < needed) {
            withheld.add("p" + (percentile == 99.9 ? "99.9" : Long.toString(Math.round(percentile))) + ": too few requests ("
                    + h.getTotalCount() + " < " + needed + ")");
            return null;
        }
        return us(h.getValueAtPercentile(percentile));
    }

    private static double us(long nanos) {
        return LoadSteps.round(nanos / 1000.0, 1);
    }
}
