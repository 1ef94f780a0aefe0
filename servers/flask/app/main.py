"""The Flask row: Flask on gunicorn, 2 x the CPUs it may run on + 1 worker processes (gunicorn's formula).

Framework glue only: routes, the body as bytes, errors as the contract's JSON; validation,
inference, guards and meters are predictbench's. PREDICTBENCH_VARIANT picks gunicorn's worker class
(serve.py): `sync` (the default), where each worker is a process that serves one request at a time
on its main thread, or `gthread`, where each worker serves up to PREDICTBENCH_GTHREAD_THREADS requests
at once on its threads. A worker's Service (the ONNX Runtime sessions) and /chat's httpx.Client are
its own, created after the fork (by serve.py's post_worker_init hook, or on first use in a process
that has none).
"""
from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

_HERE = Path(__file__).resolve().parent
_PYTHON = _HERE.parents[1] / "python"
if str(_PYTHON) not in sys.path:
    sys.path.insert(0, str(_PYTHON))

from predictbench.service import pin_native_threads  # noqa: E402

pin_native_threads()

import flask  # noqa: E402
import gunicorn  # noqa: E402
from importlib.metadata import version  # noqa: E402
from flask import Flask, Response, request  # noqa: E402
from werkzeug.exceptions import HTTPException  # noqa: E402

from predictbench import chat as chats, edge, errors, service as services  # noqa: E402
from predictbench.errors import ApiException  # noqa: E402
from predictbench import settings  # noqa: E402
from predictbench.guards import Protection  # noqa: E402
from predictbench.output import dumps  # noqa: E402

from . import wsgi_edge  # noqa: E402

STACK = "flask"
FRAMEWORK = f"Flask {flask.__version__}"
#: PREDICTBENCH_VARIANT's values: gunicorn's worker class.
VARIANTS = ("sync", "gthread")
VARIANT = chats.variant(VARIANTS, STACK)
DEFAULT_THREADS = 32


def gthread_threads() -> int:
    """PREDICTBENCH_GTHREAD_THREADS: the threads of each gthread worker (default 32)."""
    threads = settings.int_value("PREDICTBENCH_GTHREAD_THREADS", DEFAULT_THREADS)
    if threads < 1:
        raise ValueError(f"PREDICTBENCH_GTHREAD_THREADS must be at least 1, got {threads}")
    return threads


SERVER = f"gunicorn {gunicorn.__version__} (worker class {VARIANT})"
THREADING_MODEL = "worker-processes" if VARIANT == "sync" else "worker-processes+threads"
#: The contract file, served as is by GET /openapi (Flask generates no OpenAPI document).
OPENAPI_FILE = _HERE.parents[1] / "contract" / "openapi.yaml"

protection = Protection.from_environment()
chat_settings = chats.ChatSettings.from_environment()
_service: services.Service | None = None
_service_pid: int | None = None
_service_lock = threading.Lock()
_chat: tuple | None = None  # (pid, SyncRelay, ChatLimit)


def service() -> services.Service:
    """This process's Service, created on first use in it (never inherited across a fork)."""
    global _service, _service_pid
    if _service is None or _service_pid != os.getpid():
        with _service_lock:
            if _service is None or _service_pid != os.getpid():
                _service = services.Service(protection)
                _service_pid = os.getpid()
    return _service


def chat_parts() -> tuple:
    """This process's /chat client (httpx.Client, its pool raised to PREDICTBENCH_UPSTREAM_POOL) and
    its handle of /chat's in-flight limit, created on first use in it (never inherited across a fork)."""
    global _chat
    parts = _chat
    if parts is None or parts[0] != os.getpid():
        with _service_lock:
            if _chat is None or _chat[0] != os.getpid():
                _chat = (os.getpid(), chats.SyncRelay(chat_settings), chats.ChatLimit(chat_settings))
            parts = _chat
    return parts[1], parts[2]


app = Flask(__name__)
# The contract serves no OPTIONS: a route answers only its own methods (405 otherwise).
app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False
app.wsgi_app = wsgi_edge.EdgeMiddleware(app.wsgi_app, protection)
_openapi: bytes | None = None


def json_response(body, status: int = 200) -> Response:
    return Response(dumps(body), status=status, mimetype=errors.JSON)


def error_response(e: ApiException) -> Response:
    status, headers, body = wsgi_edge.error_parts(e)
    return Response(body, status=status, headers=headers[2:], mimetype=errors.JSON)


@app.errorhandler(ApiException)
def api_exception(e: ApiException):
    return error_response(e)


@app.errorhandler(HTTPException)
def http_exception(e: HTTPException):
    return error_response(errors.for_status(e.code or 500, request.method, request.path,
                                            _service.limits.max_body_bytes if _service is not None else None))


@app.errorhandler(Exception)
def internal_error(e: Exception):
    app.logger.exception("unexpected error on %s %s", request.method, request.path)
    return error_response(errors.internal_error())


# How long reading a body may wait for the client's next bytes. A sync worker serves one request at a
# time: a client that stops mid-body (or a chunk size gunicorn accepts and then waits to fill) would hold
# the worker until gunicorn's 30 s worker timeout aborts it. Past this, the body is unreadable: 400.
BODY_READ_TIMEOUT_SECONDS = 10.0


def json_body() -> bytes:
    """The request body by the contract's edge rules: JSON media type, the size limit, a bounded wait."""
    sock = request.environ.get("gunicorn.socket")
    previous = sock.gettimeout() if sock is not None else None
    if sock is not None:
        sock.settimeout(BODY_READ_TIMEOUT_SECONDS)
    try:
        return wsgi_edge.read_body(request.stream, request.headers.get("Content-Type"), request.content_length,
                                   service().limits.max_body_bytes)
    finally:
        if sock is not None:
            sock.settimeout(previous)


@app.post("/predict")
def predict():
    return json_response(service().predict(json_body()))


@app.post("/embed")
def embed():
    return json_response(service().embed(json_body()))


@app.post("/search")
def search():
    return json_response(service().search(json_body()))


@app.post("/chat")
def chat():
    """The chat relayed from the upstream with httpx.Client, blocking this worker's thread for the
    whole answer: a streamed one is a generator response that gunicorn writes event by event."""
    messages, stream = chats.parse_request(json_body())
    relay, limit = chat_parts()
    meters = service().meters
    limit.acquire()
    if not stream:
        try:
            answer = relay.complete(messages)
        finally:
            limit.release()
        meters.chats.inc()
        return json_response(answer)
    try:
        events = relay.open(messages)
    except BaseException:
        limit.release()
        raise

    def on_close(ended: chats.SyncEvents):
        limit.release()
        if ended.completed:
            meters.chats.inc()

    events.on_close = on_close
    # Werkzeug closes the response's iterable (SyncEvents.close) when gunicorn closes the response,
    # however it ended: the upstream call ends with it.
    return Response(events, mimetype=chats.EVENT_STREAM, headers={"Cache-Control": "no-cache"})


_UP = dumps({"status": "UP"})


@app.get("/health/live")
def live():
    return Response(_UP, mimetype=errors.JSON)


@app.get("/health/ready")
def ready():
    return Response(_UP, mimetype=errors.JSON)


@app.get("/model")
def model_card():
    return json_response(service().card())


@app.get("/info")
def info():
    workers = services.workers()
    details = {"workers": workers,
               "workersFrom": "2 x len(os.sched_getaffinity(0)) + 1 of the launcher (gunicorn's formula)",
               "server": ("gunicorn, worker class sync: one process per worker, one request at a time each"
                          if VARIANT == "sync" else
                          f"gunicorn, worker class gthread: one process per worker, {gthread_threads()} threads "
                          "each, one request per thread at a time"),
               "werkzeug": version("werkzeug"),
               "httpParser": "gunicorn's pure-Python HTTP/1.1 parser (gunicorn_h1c is not installed)",
               "inflight": "one limit for the server: POSIX named semaphores shared by every worker",
               "genAi": ("embedding runs on the worker's main thread" if VARIANT == "sync" else
                         "embedding runs on the request's worker thread") + " (one ONNX Runtime session per worker)",
               "chat": "variant " + VARIANT + ": /chat blocks its request's thread on httpx.Client for the whole "
                       "answer; the in-flight limit of /chat is one for the server (a POSIX named semaphore)"}
    if VARIANT == "gthread":
        details["threadsPerWorker"] = gthread_threads()
    body = service().info(STACK, FRAMEWORK, SERVER, THREADING_MODEL, details)
    relay, limit = chat_parts()
    body["variant"] = VARIANT
    body["chat"] = chat_settings.info(relay.name, "blocking client on a worker process's main thread (sync)"
                                      if VARIANT == "sync" else "blocking client on a gthread worker thread")
    body["chat"]["inflight"] = limit.info()
    return json_response(body)


@app.get("/metrics")
def metrics():
    accept = request.headers.getlist("Accept")
    edge.require_metrics_acceptable(",".join(accept) if accept else None)
    text, content_type = service().meters.scrape()
    return Response(text, content_type=content_type)


@app.get("/openapi")
def openapi():
    global _openapi
    if _openapi is None:
        _openapi = OPENAPI_FILE.read_bytes()
    return Response(_openapi, content_type="application/yaml")
