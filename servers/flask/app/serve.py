"""Starts the Flask stack: `<venv>/bin/python app/serve.py` from servers/flask.

HOST (default 127.0.0.1) and PORT (default 8080) from the environment; gunicorn with the worker
class PREDICTBENCH_VARIANT names (`sync`, the default, or `gthread` with PREDICTBENCH_GTHREAD_THREADS
threads per worker, 32 by default),
2 x the CPUs this process may run on + 1 (gunicorn's documented formula, over os.sched_getaffinity:
the CPU set the launcher pinned it to, not the machine's count). Before the workers start: a fresh
PROMETHEUS_MULTIPROC_DIR for the meters, and the shared semaphores and rate-limit file of the
guards, named in the environment the workers inherit; all are removed when the server stops. The
app is loaded in each worker after the fork (gunicorn's default, no preload), and each worker builds
its ONNX Runtime sessions in post_worker_init, before it accepts a request: never in the master.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "python"))
sys.path.insert(0, str(HERE.parent))

from predictbench import chat, guards, settings  # noqa: E402
from predictbench.service import WORKERS_ENV, pin_native_threads  # noqa: E402


def workers() -> int:
    """gunicorn's documented formula, (2 x $num_cores) + 1, over the CPUs this process may run on."""
    return 2 * settings.cpus() + 1


def check_settings() -> tuple[settings.InflightSettings, chat.ChatSettings, str, int]:
    """Every setting the workers will read, read once here, before any worker starts: a bad one stops
    the launch with its message (exit 2) instead of failing each worker's boot, after which gunicorn
    would stop with only "Worker failed to boot"."""
    settings.Limits.from_environment()
    settings.GenAiLimits.from_environment()
    settings.InferenceOptions.from_environment()
    guards.CalibrationWork.from_environment()
    rate = settings.int_value("PREDICTBENCH_RATE_LIMIT", 0)
    if rate < 0:
        guards.Protection(None, rate)  # refuses it with the guard's own message
    if settings.batching_requested():
        raise ValueError("PREDICTBENCH_BATCHING=on: the Python stacks have no dynamic batcher; run them with it off")
    variant = chat.variant(("sync", "gthread"), "flask")
    threads = settings.int_value("PREDICTBENCH_GTHREAD_THREADS", 32)
    if threads < 1:
        raise ValueError(f"PREDICTBENCH_GTHREAD_THREADS must be at least 1, got {threads}")
    return settings.InflightSettings.from_environment(), chat.ChatSettings.from_environment(), variant, threads


def post_worker_init(worker):
    # In the worker, after the fork and after it loaded the app: its own Service and ONNX Runtime
    # sessions, built before it accepts its first request.
    from app import main
    main.service()


def main():
    pin_native_threads()
    count = workers()
    host, port = settings.host(), settings.port()
    try:
        inflight, chat_settings, variant, threads = check_settings()
    except ValueError as e:
        print(f"predict-bench flask: {e}", file=sys.stderr)
        sys.exit(2)
    metrics_dir = tempfile.mkdtemp(prefix="predictbench-prometheus-", dir=settings.memory_dir())
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    os.environ[WORKERS_ENV] = str(count)
    shared, cleanup = guards.create_shared(inflight)
    os.environ.update(shared)
    chat_shared, chat_cleanup = chat.create_shared_limit(chat_settings)
    os.environ.update(chat_shared)
    worker_class = {"worker_class": "sync"} if variant == "sync" else {"worker_class": "gthread", "threads": threads}
    master = os.getpid()
    try:
        from gunicorn.app.base import BaseApplication

        class Server(BaseApplication):
            def load_config(self):
                for key, value in {
                    "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
                    "workers": count,
                    **worker_class,
                    "accesslog": None,
                    "graceful_timeout": 5,
                    # gunicorn's control socket (25.1+) sits at one path per user ($XDG_RUNTIME_DIR or
                    # ~/.gunicorn/gunicorn.ctl): two servers at once would share it. Nothing here uses it.
                    "control_socket_disable": True,
                    # The heartbeat is an os.fchmod of a file per request: in memory, not on a disk's journal.
                    "worker_tmp_dir": settings.memory_dir(),
                    "post_worker_init": post_worker_init,
                }.items():
                    self.cfg.set(key, value)

            def load(self):
                from app.main import app
                return app

        Server().run()
    finally:
        # A worker leaves gunicorn's run through SystemExit too, in its own (forked) process: only the
        # master removes what the workers share.
        if os.getpid() == master:
            cleanup()
            chat_cleanup()
            shutil.rmtree(metrics_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
