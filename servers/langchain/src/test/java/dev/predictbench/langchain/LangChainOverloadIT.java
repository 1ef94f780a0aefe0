package dev.predictbench.langchain;

import dev.predictbench.contract.Stacks;
import dev.predictbench.contract.kit.LaunchedOverloadKit;

/** The overload kit against the LangChain server (on the FastAPI glue): one inference call in flight and no queue, for the server as a whole. */
class LangChainOverloadIT extends LaunchedOverloadKit {
    @Override
    protected Stacks stack() {
        return Stacks.LANGCHAIN;
    }
}
