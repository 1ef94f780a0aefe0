package dev.predictbench.fastapi;

import dev.predictbench.contract.Stacks;
import dev.predictbench.contract.kit.LaunchedOverloadKit;

/** The overload kit against the FastAPI server: one inference call in flight and no queue, for the server as a whole. */
class FastApiOverloadIT extends LaunchedOverloadKit {
    @Override
    protected Stacks stack() {
        return Stacks.FASTAPI;
    }
}
