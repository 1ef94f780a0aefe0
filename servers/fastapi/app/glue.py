"""The FastAPI glue, for every stack served on it: FastAPI on uvicorn (uvloop, httptools), one worker
process per CPU it may run on.

Framework glue only: routes, the body as bytes, errors as the contract's JSON; validation,
inference, guards and meters are predictbench's. A stack (`Stack`) names itself for /info and brings
its inference endpoints (`Endpoints`): FastAPI's own row (app/main.py) answers them with
predictbench's Service as is, the LangChain row (servers/langchain) through LangChain. The inference
endpoints are plain `def`: FastAPI runs them in its thread pool, so the event loop is never blocked
by a model call.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

_PYTHON = Path(__file__).resolve().parents[2] / "python"
if str(_PYTHON) not in sys.path:
    sys.path.insert(0, str(_PYTHON))

from predictbench.service import pin_native_threads  # noqa: E402

pin_native_threads()

import fastapi  # noqa: E402
import httptools  # noqa: E402
import orjson  # noqa: E402
import starlette  # noqa: E402
import uvicorn  # noqa: E402
import uvloop  # noqa: E402
from fastapi import Depends, FastAPI, Request  # noqa: E402
from fastapi.exceptions import RequestValidationError  # noqa: E402
from fastapi.responses import Response  # noqa: E402
from starlette.exceptions import HTTPException as StarletteHTTPException  # noqa: E402

from predictbench import asgi, errors, service as services  # noqa: E402
from predictbench.output import dumps  # noqa: E402
from predictbench.errors import ApiException  # noqa: E402
from predictbench.guards import Protection  # noqa: E402

from . import models  # noqa: E402

FRAMEWORK = f"FastAPI {fastapi.__version__}"
SERVER = f"uvicorn {uvicorn.__version__} (uvloop {uvloop.__version__}, httptools {httptools.__version__})"
THREADING_MODEL = "worker-processes+event-loop+thread-pool"
JSON = "application/json"


class Endpoints(Protocol):
    """A stack's inference endpoints: the request body's bytes in, the response body's JSON bytes out;
    a request the contract rejects raises its ApiException."""

    def predict(self, body: bytes) -> bytes: ...

    def embed(self, body: bytes) -> bytes: ...

    def search(self, body: bytes) -> bytes: ...


class ServiceEndpoints:
    """The plain path: predictbench's Service answers, predictbench.output writes the body."""

    def __init__(self, service: services.Service):
        self.service = service

    def predict(self, body: bytes) -> bytes:
        return dumps(self.service.predict(body))

    def embed(self, body: bytes) -> bytes:
        return dumps(self.service.embed(body))

    def search(self, body: bytes) -> bytes:
        return dumps(self.service.search(body))


@dataclass(frozen=True)
class Stack:
    """A stack served by this glue, as /info names it, and how it answers the inference endpoints."""

    name: str
    """The stack's id in the registry (servers/contract, Stacks)."""
    framework: str
    """/info's framework, with its version."""
    endpoints: Callable[[services.Service], Endpoints]
    """Builds the endpoints in each worker, after its Service (and so its ONNX Runtime sessions)."""
    summary: str
    """The generated OpenAPI document's summary."""
    host: str | None = None
    """/info's host: the framework underneath, for a stack that runs on this glue but is not FastAPI."""
    details: Mapping[str, str] = field(default_factory=dict)
    """/info's threading details of the stack's own, after the glue's."""


def create_app(stack: Stack) -> FastAPI:
    """The FastAPI app serving the contract for `stack`: the same routes, edge, errors and meters for every stack."""
    protection = Protection.from_environment()
    state: dict = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # In each worker, after it started: the ONNX Runtime sessions are this process's own.
        service = services.Service(protection)
        state["service"] = service
        state["endpoints"] = stack.endpoints(service)
        yield
        state.clear()

    app = FastAPI(title="predict-bench", version="1.0.0", summary=stack.summary,
                  openapi_url="/openapi", docs_url=None, redoc_url=None, lifespan=lifespan)
    app.add_middleware(asgi.EdgeMiddleware, protection=protection)

    def service() -> services.Service:
        return state["service"]

    def endpoints() -> Endpoints:
        return state["endpoints"]

    def json_response(body: bytes, status: int = 200) -> Response:
        return Response(body, status_code=status, media_type=JSON)

    def error_response(e: ApiException) -> Response:
        status, headers, body = asgi.error_response_parts(e)
        return Response(body, status_code=status, headers={k.decode(): v.decode() for k, v in headers[2:]},
                        media_type=JSON)

    @app.exception_handler(ApiException)
    async def api_exception(request: Request, e: ApiException):
        return error_response(e)

    @app.exception_handler(StarletteHTTPException)
    async def http_exception(request: Request, e: StarletteHTTPException):
        return error_response(errors.for_status(e.status_code, request.method, request.url.path,
                                                service().limits.max_body_bytes if state else None))

    @app.exception_handler(RequestValidationError)
    async def validation_exception(request: Request, e: RequestValidationError):
        return error_response(errors.malformed_request("the request does not match the route"))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, e: Exception):
        return error_response(errors.internal_error())

    async def json_body(request: Request) -> bytes:
        """The request body by the contract's edge rules: JSON media type, the size limit."""
        return await asgi.read_body(request.stream(), request.headers.get("content-type"),
                                    request.headers.get("content-length"), service().limits.max_body_bytes)

    @app.post("/predict", response_model=None, responses={200: {"model": models.PredictResponse}, **models.ERRORS},
              openapi_extra=models.request_body(models.PredictRequest), summary="Classify rows of the tabular model")
    def predict(body: bytes = Depends(json_body)):
        return json_response(endpoints().predict(body))

    @app.post("/embed", response_model=None, responses={200: {"model": models.EmbedResponse}, **models.ERRORS},
              openapi_extra=models.request_body(models.EmbedRequest), summary="Sentence embeddings (all-MiniLM-L6-v2)")
    def embed(body: bytes = Depends(json_body)):
        return json_response(endpoints().embed(body))

    @app.post("/search", response_model=None, responses={200: {"model": models.SearchResponse}, **models.ERRORS},
              openapi_extra=models.request_body(models.SearchRequest), summary="The nearest WordNet glosses to a description")
    def search(body: bytes = Depends(json_body)):
        return json_response(endpoints().search(body))

    up = orjson.dumps({"status": "UP"})

    @app.get("/health/live", response_model=models.Health)
    async def live():
        return Response(up, media_type=JSON)

    @app.get("/health/ready", response_model=models.Health)
    async def ready():
        return Response(up, media_type=JSON)

    @app.get("/model", summary="The model card")
    async def model_card():
        return json_response(dumps(service().card()))

    @app.get("/info", summary="Stack, framework, server, runtime and threading")
    def info():
        details = {"workers": services.workers(), "workersFrom": "len(os.sched_getaffinity(0)) of the launcher",
                   "server": "uvicorn, loop=uvloop, http=httptools, one process per worker",
                   "starlette": starlette.__version__,
                   "threadPool": "FastAPI runs def endpoints in AnyIO's thread pool (40 threads per worker, its default)",
                   **stack.details}
        return json_response(dumps(service().info(stack.name, stack.framework, SERVER, THREADING_MODEL, details,
                                                  host=stack.host)))

    @app.get("/metrics", summary="Prometheus text", response_class=Response)
    def metrics(request: Request):
        accept = request.headers.getlist("accept")
        from predictbench import edge
        edge.require_metrics_acceptable(",".join(accept) if accept else None)
        text, content_type = service().meters.scrape()
        return Response(text, media_type=content_type)

    return app
