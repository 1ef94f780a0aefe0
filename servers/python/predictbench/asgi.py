"""The HTTP edge for ASGI servers (FastAPI, and LangChain on FastAPI): plain ASGI, no framework.

Before any route runs: what the Java stacks' HTTP layers refuse (edge.check_request), then the
opt-in protection, then the query's escapes and the transfer coding (as the Javalin glue's
before-handlers do). The request body is read here too, by the contract's limit.
"""
from __future__ import annotations

from . import edge, errors
from .output import dumps
from .errors import ApiException


def error_response_parts(e: ApiException) -> tuple[int, list, bytes]:
    body = dumps(e.body())
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode(), v.encode()) for k, v in e.headers().items()]
    return e.status, headers, body


async def send_error(send, e: ApiException):
    status, headers, body = error_response_parts(e)
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _header(headers, name: bytes) -> str | None:
    values = [v for k, v in headers if k == name]
    return b",".join(values).decode("latin-1") if values else None


class EdgeMiddleware:
    def __init__(self, app, protection):
        self.app = app
        self.protection = protection

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = scope["headers"]
        try:
            raw_path = scope.get("raw_path") or scope["path"].encode("utf-8")
            query = scope.get("query_string") or b""
            edge.check_request(scope.get("http_version", "1.1"), raw_path, query, headers)
            if self.protection.enabled:
                client = scope.get("client")
                self.protection.check(scope["path"], client[0] if client else None,
                                      _header(headers, b"authorization"), _header(headers, b"x-api-key"))
            edge.require_valid_escapes(query)
            edge.require_chunked_only(_header(headers, b"transfer-encoding"))
        except ApiException as e:
            return await send_error(send, e)
        await self.app(scope, receive, send)


async def read_body(stream, content_type: str | None, content_length: str | None, max_body_bytes: int) -> bytes:
    """The body of a JSON request, at most max_body_bytes of it (HttpEdge.readBody): the media type
    first, then a declared length over the limit is refused (after draining at most DRAIN_BYTES),
    then the bytes as they come, one past the limit being too many. stream: an async iterator of chunks.
    """
    edge.require_json(content_type)
    too_large = errors.body_too_large(max_body_bytes)
    declared = int(content_length) if content_length is not None and content_length.isdigit() else -1
    chunks = []
    size = 0
    try:
        if declared > max_body_bytes:
            if declared <= max_body_bytes + edge.DRAIN_BYTES:
                await _drain(stream, edge.DRAIN_BYTES)
            raise too_large
        async for chunk in stream:
            size += len(chunk)
            if size > max_body_bytes:
                await _drain(stream, edge.DRAIN_BYTES)
                raise too_large
            chunks.append(chunk)
    except ApiException:
        raise
    except Exception:  # the client went away, or the body could not be read as HTTP
        raise errors.unreadable_body() from None
    return b"".join(chunks)


async def _drain(stream, limit: int):
    left = limit
    try:
        async for chunk in stream:
            left -= len(chunk)
            if left <= 0:
                return
    except Exception:
        return
