package dev.predictbench.results.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.predictbench.results.Validity;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Where the time went: phases grouped as the report's columns; early stopping's counts. */
class ConductTableTest {
    @Test
    void phasesGroupIntoStartConformanceProbesWarmUpScenariosAndTheRest() {
        Set<String> workloads = Set.of("tabular", "embed");
        assertEquals("start", ConductTable.group("start", workloads));
        assertEquals("conformance", ConductTable.group("conformance", workloads));
        assertEquals("probes", ConductTable.group("probes", workloads));
        assertEquals("probes", ConductTable.group("tabular probe", workloads), "a workload's sequential probe");
        assertEquals("warm-up", ConductTable.group("embed warm-up", workloads));
        assertEquals("sweep", ConductTable.group("tabular sweep", workloads));
        assertEquals("overload", ConductTable.group("embed overload", workloads));
        assertEquals("other", ConductTable.group("stop", workloads));
        assertEquals("other", ConductTable.group("search sweep", workloads), "not a workload of this run");
    }

    @Test
    void earlyStoppingCountsAreTheRunnersRule() {
        // The smallest n with P(Binomial(n, 1 - percentile) <= 1) <= 1%.
        assertEquals(Map.of("p90", 64L, "p99", 662L, "p99.9", 6_636L), Validity.EARLY_STOPPING);
    }
}
