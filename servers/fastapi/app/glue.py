"""The FastAPI glue, for every stack served on it: FastAPI on uvicorn (uvloop, httptools), one worker
process per CPU it may run on.

Framework glue only: routes, the body as bytes, errors as the contract's JSON; validation,
inference, guards and meters are predictbench's. A stack (`Stack`) names itself for /info and brings
its inference endpoints (`Endpoints`): FastAPI's own row (app/main.py) answers them with
predictbench's Service as is, the LangChain row (servers/langchain) through LangChain. The inference
endpoints are plain `def`: FastAPI runs them in its thread pool, so the event loop is never blocked
by a model call.

POST /chat (variant `async`, the only one) is `async def` on the event loop: it relays an
OpenAI-compatible upstream's answer through the stack's `ChatEndpoint` (FastAPI's row: httpx's
AsyncClient, predictbench.chat.AsyncRelay; the LangChain row its own), a streamed answer as a
StreamingResponse of the relayed events, each written as it arrives (no compression middleware is
installed, so nothing buffers them).
"""
from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable, Mapping
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
from fastapi.responses import Response, StreamingResponse  # noqa: E402
from starlette.exceptions import HTTPException as StarletteHTTPException  # noqa: E402

from predictbench import asgi, chat as chats, errors, service as services  # noqa: E402
from predictbench.output import dumps  # noqa: E402
from predictbench.errors import ApiException  # noqa: E402
from predictbench.guards import Protection  # noqa: E402

from . import models  # noqa: E402

FRAMEWORK = f"FastAPI {fastapi.__version__}"
SERVER = f"uvicorn {uvicorn.__version__} (uvloop {uvloop.__version__}, httptools {httptools.__version__})"
THREADING_MODEL = "worker-processes+event-loop+thread-pool"
JSON = "application/json"
#: PREDICTBENCH_VARIANT's values on this glue: /chat as async def on the event loop.
VARIANTS = ("async",)


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


class ChatEvents(Protocol):
    """One relayed stream: the SSE events to write, and aclose() (idempotent) to end the upstream call."""
    completed: bool

    def __aiter__(self) -> AsyncIterator[bytes]: ...

    async def aclose(self) -> None: ...


class ChatEndpoint(Protocol):
    """A stack's /chat client, one per worker: open() gives a stream once the upstream's headers are
    in (or raises the contract's 502/504), complete() the whole answer's body."""
    name: str
    """/info's chat.client: the client library and its version."""

    async def open(self, messages: list) -> ChatEvents: ...

    async def complete(self, messages: list) -> dict: ...

    async def aclose(self) -> None: ...


class ChatStream(StreamingResponse):
    """The relayed events as text/event-stream; however the response ends (done, the client gone, an
    error), the upstream call is closed and the /chat slot given back."""

    def __init__(self, events: ChatEvents, on_end: Callable[[bool], None]):
        super().__init__(events, media_type=chats.EVENT_STREAM, headers={"Cache-Control": "no-cache"})
        self.events = events
        self.on_end = on_end

    async def __call__(self, scope, receive, send):
        try:
            await super().__call__(scope, receive, send)
        except OSError:
            pass  # the client went away while an event was written: nothing more to send
        finally:
            try:
                await self.events.aclose()
            finally:
                self.on_end(self.events.completed)


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
    chat: Callable[[chats.ChatSettings], ChatEndpoint] = chats.AsyncRelay
    """Builds /chat's upstream client in each worker, at its start."""
    chat_handler: str = "non-blocking, event loop: async def with httpx.AsyncClient (uvloop)"
    """/info's chat.handler."""


def create_app(stack: Stack) -> FastAPI:
    """The FastAPI app serving the contract for `stack`: the same routes, edge, errors and meters for every stack."""
    protection = Protection.from_environment()
    variant = chats.variant(VARIANTS, stack.name)
    chat_settings = chats.ChatSettings.from_environment()
    state: dict = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # In each worker, after it started: the ONNX Runtime sessions are this process's own, and so
        # are /chat's upstream client (its connection pool) and the handle of /chat's in-flight limit.
        service = services.Service(protection)
        state["service"] = service
        state["endpoints"] = stack.endpoints(service)
        state["chat"] = stack.chat(chat_settings)
        state["chat_limit"] = chats.ChatLimit(chat_settings)
        try:
            yield
        finally:
            await state["chat"].aclose()
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

    @app.post("/chat", response_model=None,
              responses={200: {"model": models.ChatResponse, "description": "the whole answer (stream false), or "
                               "with stream true a text/event-stream of data: {\"token\": ...} events, then "
                               "data: [DONE]", "content": {chats.EVENT_STREAM: {"schema": {"type": "string"}}}},
                         **models.CHAT_ERRORS},
              openapi_extra=models.request_body(models.ChatRequest),
              summary="A chat relayed from the OpenAI-compatible upstream, streamed (SSE) or whole")
    async def chat(body: bytes = Depends(json_body)):
        messages, stream = chats.parse_request(body)
        limit: chats.ChatLimit = state["chat_limit"]
        endpoint: ChatEndpoint = state["chat"]
        meters = service().meters
        limit.acquire()
        if not stream:
            try:
                answer = await endpoint.complete(messages)
            finally:
                limit.release()
            meters.chats.inc()
            return json_response(dumps(answer))
        try:
            events = await endpoint.open(messages)
        except BaseException:
            limit.release()
            raise

        def on_end(completed: bool):
            limit.release()
            if completed:
                meters.chats.inc()

        return ChatStream(events, on_end)

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
        details["chat"] = ("variant async: /chat is async def on each worker's event loop, its upstream call "
                           "non-blocking; the inference endpoints stay on the thread pool")
        body = service().info(stack.name, stack.framework, SERVER, THREADING_MODEL, details, host=stack.host)
        body["variant"] = variant
        endpoint: ChatEndpoint = state["chat"]
        body["chat"] = chat_settings.info(endpoint.name, stack.chat_handler)
        body["chat"]["inflight"] = state["chat_limit"].info()
        return json_response(dumps(body))

    @app.get("/metrics", summary="Prometheus text", response_class=Response)
    def metrics(request: Request):
        accept = request.headers.getlist("accept")
        from predictbench import edge
        edge.require_metrics_acceptable(",".join(accept) if accept else None)
        text, content_type = service().meters.scrape()
        return Response(text, media_type=content_type)

    return app
