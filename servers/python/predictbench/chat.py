"""POST /chat, framework-free: its settings, its in-flight limit, the request, the upstream's
OpenAI-compatible answers read, and the answers written (the SSE events and the whole answer).

The stack relays a chat to an OpenAI-compatible upstream (`<PREDICTBENCH_UPSTREAM_URL>/chat/completions`)
with the client its ecosystem uses: httpx here for FastAPI (AsyncClient) and Flask (Client), the
`openai` package for LangChain. What /chat measures is how a stack holds many slow, mostly idle
streams, so nothing here buffers: each upstream token becomes one event, written as it comes.
"""
from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass

import orjson

from . import settings, strictjson
from .errors import ApiException
from .guards import RETRY_AFTER_SECONDS, Semaphore

CHAT_SEMAPHORE_ENV = "PREDICTBENCH_SHARED_CHAT_SEMAPHORE"
EVENT_STREAM = "text/event-stream"


@dataclass(frozen=True)
class ChatSettings:
    """PREDICTBENCH_UPSTREAM_URL, _UPSTREAM_MODEL, _UPSTREAM_TIMEOUT_MS, _UPSTREAM_POOL, _CHAT_MAX_INFLIGHT."""
    upstream_url: str = "http://127.0.0.1:8090/v1"
    model: str = "predictbench-sim"
    timeout_millis: int = 10_000
    pool: int = 2048
    max_inflight: int = 2048

    def __post_init__(self):
        if not self.upstream_url.startswith(("http://", "https://")):
            raise ValueError(f"PREDICTBENCH_UPSTREAM_URL must be an http:// or https:// URL, got '{self.upstream_url}'")
        if self.timeout_millis < 1:
            raise ValueError(f"PREDICTBENCH_UPSTREAM_TIMEOUT_MS must be at least 1, got {self.timeout_millis}")
        if self.pool < 1:
            raise ValueError(f"PREDICTBENCH_UPSTREAM_POOL must be at least 1, got {self.pool}")
        if self.max_inflight < 1:
            raise ValueError(f"PREDICTBENCH_CHAT_MAX_INFLIGHT must be at least 1, got {self.max_inflight}")

    @staticmethod
    def from_environment() -> "ChatSettings":
        return ChatSettings(settings.string("PREDICTBENCH_UPSTREAM_URL", "http://127.0.0.1:8090/v1").rstrip("/"),
                            settings.string("PREDICTBENCH_UPSTREAM_MODEL", "predictbench-sim"),
                            settings.int_value("PREDICTBENCH_UPSTREAM_TIMEOUT_MS", 10_000),
                            settings.int_value("PREDICTBENCH_UPSTREAM_POOL", 2048),
                            settings.int_value("PREDICTBENCH_CHAT_MAX_INFLIGHT", 2048))

    @property
    def completions_url(self) -> str:
        return self.upstream_url + "/chat/completions"

    @property
    def timeout_seconds(self) -> float:
        return self.timeout_millis / 1000.0

    def info(self, client: str, handler: str) -> dict:
        """/info's "chat"."""
        return {"client": client, "pool": self.pool, "handler": handler, "upstream": self.upstream_url,
                "model": self.model, "timeoutMillis": self.timeout_millis, "maxInflight": self.max_inflight}


def variant(allowed: tuple, stack: str) -> str:
    """PREDICTBENCH_VARIANT, one of `allowed` (the first is the stack's default)."""
    value = (settings.string("PREDICTBENCH_VARIANT", allowed[0]) or allowed[0]).lower()
    if value not in allowed:
        raise ValueError(f"PREDICTBENCH_VARIANT for {stack} must be one of {', '.join(allowed)}, got '{value}'")
    return value


# ---- The in-flight limit of /chat: its own, never the inference limit's slots.

def create_shared_limit(chat: ChatSettings) -> tuple[dict, callable]:
    """For a launcher, before its workers start: one POSIX named semaphore of free /chat slots for the
    whole server, the environment naming it, and a function that removes it."""
    name = f"/predictbench-{os.getpid()}-{secrets.token_hex(4)}-chat"
    semaphore = Semaphore(name, chat.max_inflight)
    return {CHAT_SEMAPHORE_ENV: name}, semaphore.unlink


class ChatLimit:
    """At most max_inflight /chat requests in the server at once; past it 503 OVERLOADED, no queue.

    A slot is taken with sem_trywait, which never blocks (safe on an event loop), and is given back
    when the answer ends, however it ends."""

    def __init__(self, chat: ChatSettings):
        self.max_inflight = chat.max_inflight
        name = settings.string(CHAT_SEMAPHORE_ENV)
        if name:
            self.slots = Semaphore(name)
            self.scope = "server: shared by every worker process (a POSIX named semaphore)"
        else:
            name = f"/predictbench-{os.getpid()}-{secrets.token_hex(4)}-chat"
            self.slots = Semaphore(name, chat.max_inflight)
            self.slots.unlink()
            self.scope = "process"

    def acquire(self):
        if not self.slots.try_acquire():
            raise ApiException("OVERLOADED", f"the server is at its limit of {self.max_inflight} chats in flight; "
                               f"retry after {RETRY_AFTER_SECONDS} s", RETRY_AFTER_SECONDS)

    def release(self):
        self.slots.release()

    def info(self) -> dict:
        return {"maxInflight": self.max_inflight, "scope": self.scope, "queue": "none"}


# ---- The request and what goes upstream.

def parse_request(body: bytes) -> tuple[list, bool]:
    """The /chat body by the contract's rules: (messages, stream)."""
    return strictjson.chat_request(strictjson.bind(body, strictjson.CHAT))


def upstream_body(model: str, messages: list, stream: bool) -> bytes:
    return orjson.dumps({"model": model, "messages": messages, "stream": stream})


# ---- Errors.

def upstream_failed(why: str) -> ApiException:
    return ApiException("UPSTREAM_FAILED", "the upstream model server failed: " + why)


def upstream_timeout(timeout_millis: int, what: str = "answered") -> ApiException:
    return ApiException("UPSTREAM_TIMEOUT", f"the upstream model server has not {what} within {timeout_millis} ms")


def describe(e: BaseException) -> str:
    """An exception as a short phrase for an error message: its type, and its text without a traceback."""
    text = str(e).splitlines()[0] if str(e) else ""
    return f"{type(e).__name__}: {text[:200]}" if text else type(e).__name__


# ---- The SSE relay's events.

DONE_EVENT = b"data: [DONE]\n\n"


def _json(value) -> bytes:
    try:
        return orjson.dumps(value)
    except TypeError:  # a lone surrogate from an upstream's \\ud800 escape: orjson refuses it
        return json.dumps(value).encode()


def token_event(text: str) -> bytes:
    return b"data: " + _json({"token": text}) + b"\n\n"


def error_event(e: ApiException) -> bytes:
    return b"event: error\ndata: " + _json(e.body()) + b"\n\n"


DONE = object()
"""What UpstreamEvents.line returns at the upstream's [DONE]."""


class UpstreamEvents:
    """The upstream's event stream read line by line: each `data:` line is one chunk (OpenAI sends one
    line per event). line() gives the chunk's content to relay, None for nothing to relay, or DONE."""

    @staticmethod
    def line(line: str):
        if not line.startswith("data:"):
            return None  # blank separators, comments (": ..."), event names, ids
        data = line[5:]
        if data.startswith(" "):
            data = data[1:]
        if data.strip() == "[DONE]":
            return DONE
        try:
            chunk = json.loads(data)
        except ValueError:
            raise upstream_failed("a stream chunk is not JSON") from None
        return chunk_content(chunk)


def chunk_content(chunk) -> str | None:
    """choices[0].delta.content of a chat.completion.chunk, or None when it has none (or it is empty)."""
    if type(chunk) is not dict:
        raise upstream_failed("a stream chunk is not a JSON object")
    if chunk.get("error") is not None:
        raise upstream_failed("the stream carried an error")
    choices = chunk.get("choices")
    if not choices:
        return None  # the usage chunk of stream_options.include_usage
    delta = choices[0].get("delta") if type(choices[0]) is dict else None
    content = delta.get("content") if type(delta) is dict else None
    return content if type(content) is str and content else None


def whole_answer(body: bytes) -> dict:
    """The /chat answer from the upstream's chat.completion JSON."""
    try:
        completion = json.loads(body)
        choice = completion["choices"][0]
        content = choice["message"]["content"]
        tokens = completion["usage"]["completion_tokens"]
        finish = choice.get("finish_reason") or "stop"
    except (ValueError, KeyError, IndexError, TypeError):
        raise upstream_failed("its answer is not a chat completion") from None
    if type(content) is not str or type(tokens) is not int:
        raise upstream_failed("its answer is not a chat completion")
    return {"content": content, "completionTokens": tokens, "finishReason": finish}


def is_event_stream(content_type: str | None) -> bool:
    return content_type is not None and content_type.split(";", 1)[0].strip().lower() == EVENT_STREAM


# ---- The httpx relays: AsyncClient (FastAPI) and Client (Flask), the same rules.

def _httpx_timeout(chat: ChatSettings):
    import httpx
    return httpx.Timeout(chat.timeout_seconds)  # connect, read (headers and every gap), write, pool


def _httpx_limits(chat: ChatSettings):
    import httpx
    return httpx.Limits(max_connections=chat.pool, max_keepalive_connections=chat.pool)


def _request_error(e: Exception, chat: ChatSettings) -> ApiException:
    """An httpx error before the answer's headers: a timeout is 504, anything else (refused, reset) 502."""
    import httpx
    if isinstance(e, httpx.TimeoutException):
        return upstream_timeout(chat.timeout_millis, "connected" if isinstance(e, httpx.ConnectTimeout)
                                else "answered")
    return upstream_failed(describe(e))


def _stream_error(e: Exception, chat: ChatSettings) -> ApiException:
    """An httpx error after the 200 started: a gap over the timeout, or the stream broke."""
    import httpx
    if isinstance(e, httpx.TimeoutException):
        return upstream_timeout(chat.timeout_millis, "sent its next chunk")
    return upstream_failed("the stream broke (" + describe(e) + ")")


def _check_answer(status: int, content_type: str | None, stream: bool):
    if not 200 <= status < 300:
        raise upstream_failed(f"it answered HTTP {status}")
    if stream and not is_event_stream(content_type):
        raise upstream_failed(f"it answered {content_type or 'no Content-Type'}, not {EVENT_STREAM}")


_HEADERS = {"content-type": "application/json"}
_STREAM_HEADERS = {"content-type": "application/json", "accept": EVENT_STREAM}


class AsyncRelay:
    """/chat on an event loop with httpx.AsyncClient: one client per worker process, its pool raised
    to PREDICTBENCH_UPSTREAM_POOL."""

    def __init__(self, chat: ChatSettings):
        import httpx
        self.chat = chat
        self.client = httpx.AsyncClient(timeout=_httpx_timeout(chat), limits=_httpx_limits(chat))
        self.name = f"httpx {httpx.__version__} AsyncClient"

    async def aclose(self):
        await self.client.aclose()

    async def open(self, messages: list):
        """The upstream's streaming answer once its headers are in and fit (2xx, an event stream), as
        an async iterator of the events to relay; it must be closed (aclose) however it ends."""
        request = self.client.build_request("POST", self.chat.completions_url, headers=_STREAM_HEADERS,
                                            content=upstream_body(self.chat.model, messages, True))
        try:
            response = await self.client.send(request, stream=True)
        except Exception as e:
            raise _request_error(e, self.chat) from None
        try:
            _check_answer(response.status_code, response.headers.get("content-type"), True)
        except ApiException:
            await response.aclose()
            raise
        return _AsyncEvents(response, self.chat)

    async def complete(self, messages: list) -> dict:
        try:
            response = await self.client.post(self.chat.completions_url, headers=_HEADERS,
                                              content=upstream_body(self.chat.model, messages, False))
        except Exception as e:
            raise _request_error(e, self.chat) from None
        _check_answer(response.status_code, None, False)
        return whole_answer(response.content)


class _AsyncEvents:
    """The relayed events of one upstream stream; aclose() closes the upstream response (idempotent)."""

    def __init__(self, response, chat: ChatSettings):
        self.response = response
        self.chat = chat
        self.completed = False

    async def aclose(self):
        await self.response.aclose()

    async def __aiter__(self):
        done = False
        try:
            async for line in self.response.aiter_lines():
                if done:
                    continue  # after [DONE]: read to the end, so the connection goes back to the pool
                content = UpstreamEvents.line(line)
                if content is DONE:
                    done = True
                    self.completed = True
                    yield DONE_EVENT
                elif content is not None:
                    yield token_event(content)
        except ApiException as e:
            if not done:
                yield error_event(e)
            return
        except Exception as e:
            if not done:
                yield error_event(_stream_error(e, self.chat))
            return
        finally:
            await self.response.aclose()
        if not done:
            yield error_event(upstream_failed("the stream ended before [DONE]"))


class SyncRelay:
    """/chat on a worker thread with httpx.Client (blocking): one client per worker process."""

    def __init__(self, chat: ChatSettings):
        import httpx
        self.chat = chat
        self.client = httpx.Client(timeout=_httpx_timeout(chat), limits=_httpx_limits(chat))
        self.name = f"httpx {httpx.__version__} Client"

    def open(self, messages: list) -> "SyncEvents":
        request = self.client.build_request("POST", self.chat.completions_url, headers=_STREAM_HEADERS,
                                            content=upstream_body(self.chat.model, messages, True))
        try:
            response = self.client.send(request, stream=True)
        except Exception as e:
            raise _request_error(e, self.chat) from None
        try:
            _check_answer(response.status_code, response.headers.get("content-type"), True)
        except ApiException:
            response.close()
            raise
        return SyncEvents(response, self.chat)

    def complete(self, messages: list) -> dict:
        try:
            response = self.client.post(self.chat.completions_url, headers=_HEADERS,
                                        content=upstream_body(self.chat.model, messages, False))
        except Exception as e:
            raise _request_error(e, self.chat) from None
        _check_answer(response.status_code, None, False)
        return whole_answer(response.content)


class SyncEvents:
    """The relayed events of one upstream stream, for a WSGI response: iterable, and close() (which
    the server calls however the response ends, the client gone included) closes the upstream response."""

    def __init__(self, response, chat: ChatSettings, on_close=None):
        self.response = response
        self.chat = chat
        self.completed = False
        self.on_close = on_close
        self._closed = False

    def close(self):
        if self._closed:
            return
        self._closed = True
        try:
            self.response.close()
        finally:
            if self.on_close is not None:
                self.on_close(self)

    def __iter__(self):
        done = False
        try:
            for line in self.response.iter_lines():
                if done:
                    continue  # after [DONE]: read to the end, so the connection goes back to the pool
                content = UpstreamEvents.line(line)
                if content is DONE:
                    done = True
                    self.completed = True
                    yield DONE_EVENT
                elif content is not None:
                    yield token_event(content)
        except ApiException as e:
            if not done:
                yield error_event(e)
            return
        except Exception as e:
            if not done:
                yield error_event(_stream_error(e, self.chat))
            return
        finally:
            self.response.close()
        if not done:
            yield error_event(upstream_failed("the stream ended before [DONE]"))
