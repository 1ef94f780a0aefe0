package dev.predictbench.gatling;

import java.util.List;

/**
 * One round of the SLO search (the MLPerf "server" idea): open-model Poisson steps at the rates in
 * {@code bench.rates}. The runner calls it repeatedly, narrowing the rates towards the highest one
 * whose p99 stays under the objective with no errors ({@code SloSearch}); on its own it measures
 * the ladder it is given (default: {@code bench.rateFractions} 0.3 to 1.2 of {@code bench.peak}).
 *
 * <p>Against any running server: {@code ./mvnw -pl gatling gatling:test
 * -Dgatling.simulationClass=dev.predictbench.gatling.SloSimulation -DbaseUrl=http://host:port -Dbench.rates=500,1000,1500}
 */
public class SloSimulation extends BenchSimulation {
    {
        build();
    }

    @Override
    protected List<Step> steps() {
        if (System.getProperty("bench.rates") == null && System.getProperty("bench.rateFractions") == null) {
            System.setProperty("bench.rateFractions", "0.3,0.6,0.9,1.2");
        }
        return RateSimulation.rates().stream().map(this::poisson).toList();
    }
}
