package dev.predictbench.gatling;

import java.util.List;

/**
 * Latency at a set load: open-model steps with Poisson arrivals. Requests arrive at the rate
 * whether or not earlier ones finished, so the percentiles are free of coordinated omission. The
 * rates are {@code bench.rates} (requests per second), or {@code bench.rateFractions} (default
 * 0.5,0.75,0.9) of {@code bench.peak}, the best sweep throughput, which the runner passes in.
 *
 * <p>Against any running server: {@code ./mvnw -pl gatling gatling:test
 * -Dgatling.simulationClass=dev.predictbench.gatling.RateSimulation -DbaseUrl=http://host:port -Dbench.peak=2000}
 */
public class RateSimulation extends BenchSimulation {
    {
        build();
    }

    @Override
    protected List<Step> steps() {
        return rates().stream().map(this::poisson).toList();
    }

    static List<Double> rates() {
        if (System.getProperty("bench.rates") != null) {
            return numbers("bench.rates", "");
        }
        double peak = Double.parseDouble(System.getProperty("bench.peak", "1000"));
        return numbers("bench.rateFractions", "0.5,0.75,0.9").stream().map(f -> f * peak).toList();
    }
}
