package dev.predictbench.flask;

import dev.predictbench.contract.Stacks;
import dev.predictbench.contract.kit.LaunchedConformanceKit;

/** The whole conformance kit, with the GenAI checks, against the Flask server started as the runner starts it. */
class FlaskConformanceIT extends LaunchedConformanceKit {
    @Override
    protected Stacks stack() {
        return Stacks.FLASK;
    }
}
