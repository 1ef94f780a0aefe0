"""Starts the LangChain stack: `<venv>/bin/python app/serve.py` from servers/langchain.

FastAPI's launcher (servers/fastapi/app/serve.py) as is, for this folder's app (app.main:app): the
same settings check, worker processes (one per CPU this process may run on), uvicorn options, shared
state of the guards and meters, and SIGTERM handling.
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from app.host import load_fastapi_glue  # noqa: E402

load_fastapi_glue()

from fastapi_app import serve  # noqa: E402

if __name__ == "__main__":
    serve.main("app.main:app", HERE.parent, "langchain")
