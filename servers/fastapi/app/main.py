"""The FastAPI row: FastAPI on uvicorn (uvloop, httptools), one worker process per CPU it may run on.

The glue (app/glue.py) with predictbench's Service as is behind the inference endpoints.
"""
from __future__ import annotations

from .glue import FRAMEWORK, ServiceEndpoints, Stack, create_app

STACK = Stack(name="fastapi", framework=FRAMEWORK, endpoints=ServiceEndpoints,
              summary="The predict-bench contract on FastAPI",
              details={"genAi": "embedding runs on the request's pool thread (one ONNX Runtime session per worker)"})

app = create_app(STACK)
