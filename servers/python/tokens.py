"""The token ids the Python stacks give all-MiniLM-L6-v2 for each text: a JSON list of texts on stdin, a
JSON list of id lists on stdout. The equivalence test (servers/equivalence, TokenIdsIT) compares them
with shared-model's tokenizer on the same texts: the Hugging Face tokenizers library on the same
tokenizer.json, in Rust under both, truncated alike.
"""
from __future__ import annotations

import json
import sys

from predictbench import settings
from predictbench.inference import Embedder


def main() -> int:
    texts = json.load(sys.stdin)
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        print("stdin must be a JSON list of strings", file=sys.stderr)
        return 2
    embedder = Embedder.from_environment(settings.InferenceOptions.from_environment())
    json.dump([embedder.token_ids(t) for t in texts], sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
