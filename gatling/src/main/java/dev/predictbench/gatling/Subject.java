package dev.predictbench.gatling;

import dev.predictbench.contract.Stacks;
import dev.predictbench.results.Subjects;

/**
 * One thing the runner measures: a stack, with or without the shared inference module's dynamic
 * batching. Its {@link #id()} names it in the run record, the run folder and the report; the
 * launcher, the conformance kit and the probes get the {@link #stack()} underneath.
 */
record Subject(Stacks stack, boolean batching) {

    static Subject of(String id) {
        return new Subject(Stacks.byId(Subjects.stack(id)), Subjects.batching(id));
    }

    String id() {
        return batching ? stack.id() + Subjects.BATCHING_SUFFIX : stack.id();
    }
}
