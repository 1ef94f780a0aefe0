package dev.predictbench.fastapi;

import dev.predictbench.contract.Stacks;
import dev.predictbench.contract.kit.LaunchedProtectionKit;

/** The protection kit against the FastAPI server started with the kit's API key and rate limit. */
class FastApiProtectionIT extends LaunchedProtectionKit {
    @Override
    protected Stacks stack() {
        return Stacks.FASTAPI;
    }
}
