package dev.predictbench.langchain;

import dev.predictbench.contract.Stacks;
import dev.predictbench.contract.kit.LaunchedProtectionKit;

/** The protection kit against the LangChain server (on the FastAPI glue) started with the kit's API key and rate limit. */
class LangChainProtectionIT extends LaunchedProtectionKit {
    @Override
    protected Stacks stack() {
        return Stacks.LANGCHAIN;
    }
}
