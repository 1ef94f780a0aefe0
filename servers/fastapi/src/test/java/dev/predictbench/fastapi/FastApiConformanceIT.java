package dev.predictbench.fastapi;

import dev.predictbench.contract.Stacks;
import dev.predictbench.contract.kit.LaunchedConformanceKit;

/** The whole conformance kit, with the GenAI checks, against the FastAPI server started as the runner starts it. */
class FastApiConformanceIT extends LaunchedConformanceKit {
    @Override
    protected Stacks stack() {
        return Stacks.FASTAPI;
    }
}
