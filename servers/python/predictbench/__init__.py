"""predict-bench's contract layer for the Python stacks (FastAPI, Flask, LangChain).

Everything here is free of any web framework: settings, the contract's errors, the strict JSON
reader and the request rules, the ONNX Runtime models, the guards (in-flight limit, API key, rate
limit), the meters and the /info body. A stack's glue adapts its framework to these, as the Java
stacks' glue adapts theirs to shared-model.
"""
