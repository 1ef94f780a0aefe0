package dev.predictbench.gatling;

import dev.predictbench.results.RunRecord;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Recovery after an overload: light load (one request at a time over one keep-alive connection,
 * like the sequential probe) in windows of a fixed number of requests, until a window has no error
 * and its p99 is within {@code factor} x the unloaded p99, for at most {@code boundSeconds}.
 */
public final class RecoveryProbe {
    private RecoveryProbe() {
    }

    /**
     * @param overloadEndNanos {@code System.nanoTime()} when the offered load stopped: recovery and
     *                         drain times are counted from there
     */
    public static RunRecord.Recovery run(URI base, String path, List<String> bodies, double unloadedP99Micros, double factor,
                                         double boundSeconds, int windowRequests, long overloadEndNanos) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        long start = System.nanoTime();
        long bound = start + Math.round(boundSeconds * 1e9);
        double limit = factor * unloadedP99Micros;
        List<Double> p99s = new ArrayList<>();
        Histogram histogram = new Histogram(3_600_000_000L, 3);
        int next = 0;
        Double recoveredMillis = null;
        while (System.nanoTime() < bound && recoveredMillis == null) {
            histogram.reset();
            int errors = 0;
            int done = 0;
            while (done < windowRequests && System.nanoTime() < bound) {
                HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(2))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(bodies.get(next++ % bodies.size()))).build();
                long t0 = System.nanoTime();
                try {
                    int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status == 200) {
                        histogram.recordValue(System.nanoTime() - t0);
                    } else {
                        errors++;
                    }
                } catch (IOException e) {
                    errors++;
                    pause();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return result(false, null, start, overloadEndNanos, unloadedP99Micros, factor, boundSeconds, windowRequests, p99s);
                }
                done++;
            }
            double p99 = histogram.getTotalCount() == 0 ? Double.NaN
                    : LoadSteps.round(histogram.getValueAtPercentile(99) / 1000.0, 1);
            if (!Double.isNaN(p99)) {
                p99s.add(p99);
            }
            if (done == windowRequests && errors == 0 && p99 <= limit) {
                recoveredMillis = LoadSteps.round((System.nanoTime() - overloadEndNanos) / 1e6, 1);
            }
        }
        return result(recoveredMillis != null, recoveredMillis, start, overloadEndNanos, unloadedP99Micros, factor, boundSeconds,
                windowRequests, p99s);
    }

    private static RunRecord.Recovery result(boolean recovered, Double millis, long start, long overloadEndNanos,
                                             double unloadedP99Micros, double factor, double boundSeconds, int windowRequests,
                                             List<Double> p99s) {
        return new RunRecord.Recovery(recovered, millis, LoadSteps.round(Math.max(0, start - overloadEndNanos) / 1e6, 1),
                unloadedP99Micros, factor, boundSeconds, windowRequests, List.copyOf(p99s),
                judged(unloadedP99Micros, factor, boundSeconds, windowRequests));
    }

    static String judged(double unloadedP99Micros, double factor, double boundSeconds, int windowRequests) {
        return "after the overload's last answer, one request at a time from the load generator's JVM (java.net.http, "
                + "System.nanoTime, HdrHistogram) in windows of " + windowRequests + " requests; recovered at the end of the "
                + "first window with no error and p99 <= " + factor + " x the unloaded p99 (" + unloadedP99Micros
                + " us, sequential probe before the scenarios); time counted from the end of the offered load; "
                + "not recovered when no window met that within " + boundSeconds + " s";
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
