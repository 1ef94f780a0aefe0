package dev.predictbench.simulator;

/**
 * A snapshot of the simulator's counters, as {@code GET /stats} answers them.
 *
 * @param activeStreams      completions (streaming or not) in flight now
 * @param maxActiveStreams   the most in flight at once since start or the last reset
 * @param streams            completions answered to the end (finish chunk and [DONE], or the JSON answer)
 * @param requests           requests to /v1/chat/completions, whatever their outcome
 * @param events             scheduled writes done: one per streamed token, one per non-streaming answer
 * @param lateEvents         events written more than 1 ms after their intended time
 * @param latenessP50Micros  median lateness (fire time minus intended time) in microseconds
 * @param latenessP99Micros  99th percentile lateness in microseconds
 * @param latenessMaxMicros  largest lateness in microseconds
 * @param threads            event-loop threads
 */
public record SimStats(long activeStreams, long maxActiveStreams, long streams, long requests, long events,
                       long lateEvents, long latenessP50Micros, long latenessP99Micros, long latenessMaxMicros,
                       int threads) {

    public String toJson() {
        return "{\"activeStreams\":" + activeStreams
                + ",\"maxActiveStreams\":" + maxActiveStreams
                + ",\"streams\":" + streams
                + ",\"requests\":" + requests
                + ",\"events\":" + events
                + ",\"lateEvents\":" + lateEvents
                + ",\"latenessP50Micros\":" + latenessP50Micros
                + ",\"latenessP99Micros\":" + latenessP99Micros
                + ",\"latenessMaxMicros\":" + latenessMaxMicros
                + ",\"threads\":" + threads + "}";
    }
}
