package dev.predictbench.langchain;

import dev.predictbench.contract.Stacks;
import dev.predictbench.contract.kit.LaunchedConformanceKit;

/** The whole conformance kit, with the GenAI checks, against the LangChain server (on the FastAPI glue) started as the runner starts it. */
class LangChainConformanceIT extends LaunchedConformanceKit {
    @Override
    protected Stacks stack() {
        return Stacks.LANGCHAIN;
    }
}
