"""Starts the FastAPI stack: `<venv>/bin/python app/serve.py` from servers/fastapi; `main` starts any
stack served on the FastAPI glue (servers/langchain's launcher calls it with its own app).

HOST (default 127.0.0.1) and PORT (default 8080) from the environment; one uvicorn worker process
per CPU this process may run on (os.sched_getaffinity: the CPU set the launcher pinned it to), with
uvloop and httptools. Before the workers start: a fresh PROMETHEUS_MULTIPROC_DIR for the meters,
and the shared semaphores and rate-limit file of the guards, named in the environment the workers
inherit; all are removed when the server stops.
"""
from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "python"))

from predictbench import chat, guards, settings  # noqa: E402
from predictbench.service import WORKERS_ENV, pin_native_threads  # noqa: E402


def check_settings(stack: str = "fastapi") -> tuple[settings.InflightSettings, chat.ChatSettings]:
    """Every setting the workers will read, read once here: a bad one stops the launch with its
    message instead of failing in each worker (whose sessions are created only after they start)."""
    settings.Limits.from_environment()
    settings.GenAiLimits.from_environment()
    settings.InferenceOptions.from_environment()
    guards.CalibrationWork.from_environment()
    settings.int_value("PREDICTBENCH_RATE_LIMIT", 0)
    if settings.batching_requested():
        raise ValueError("PREDICTBENCH_BATCHING=on: the Python stacks have no dynamic batcher; run them with it off")
    chat.variant(("async",), stack)
    return settings.InflightSettings.from_environment(), chat.ChatSettings.from_environment()


def main(app: str = "app.main:app", app_dir: Path = HERE.parent, stack: str = "fastapi"):
    """Runs `app` (uvicorn's "module:attribute", imported from `app_dir` in each worker) for `stack`."""
    pin_native_threads()
    workers = settings.cpus()
    host, port = settings.host(), settings.port()
    try:
        inflight, chat_settings = check_settings(stack)
    except ValueError as e:
        print(f"predict-bench {stack}: {e}", file=sys.stderr)
        sys.exit(2)
    metrics_dir = tempfile.mkdtemp(prefix="predictbench-prometheus-", dir=settings.memory_dir())
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    os.environ[WORKERS_ENV] = str(workers)
    shared, cleanup = guards.create_shared(inflight)
    os.environ.update(shared)
    chat_shared, chat_cleanup = chat.create_shared_limit(chat_settings)
    os.environ.update(chat_shared)
    # uvicorn re-raises the SIGTERM it handled once it has shut down; as an exception here, not the
    # default action, it lets the shared state be removed below.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        import uvicorn
        uvicorn.run(app, host=host, port=port, workers=workers, loop="uvloop", http="httptools",
                    lifespan="on", access_log=False, timeout_graceful_shutdown=5, app_dir=str(app_dir))
    finally:
        cleanup()
        chat_cleanup()
        shutil.rmtree(metrics_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
