package dev.predictbench.flask;

import dev.predictbench.contract.Stacks;
import dev.predictbench.contract.kit.LaunchedOverloadKit;

/** The overload kit against the Flask server: one inference call in flight and no queue, for the server as a whole. */
class FlaskOverloadIT extends LaunchedOverloadKit {
    @Override
    protected Stacks stack() {
        return Stacks.FLASK;
    }
}
