package dev.predictbench.flask;

import dev.predictbench.contract.Stacks;
import dev.predictbench.contract.kit.LaunchedProtectionKit;

/** The protection kit against the Flask server started with the kit's API key and rate limit. */
class FlaskProtectionIT extends LaunchedProtectionKit {
    @Override
    protected Stacks stack() {
        return Stacks.FLASK;
    }
}
