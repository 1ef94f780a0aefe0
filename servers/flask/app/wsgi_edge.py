"""The HTTP edge for a WSGI server (Flask on gunicorn): the counterpart of predictbench.asgi, as WSGI
middleware around the Flask app.

Before any route runs: what the Java stacks' HTTP layers refuse and gunicorn lets through
(edge.check_request: version, target, sizes, Host), then the opt-in protection, then the query's
escapes and the transfer coding. The request body is read here too, by the contract's limit.
What gunicorn refuses itself (a request it cannot parse as HTTP) never reaches this code: gunicorn
answers it with its own status and page (see README.md).
"""
from __future__ import annotations

from http import HTTPStatus
from urllib.parse import urlsplit

from predictbench import edge, errors
from predictbench.errors import ApiException
from predictbench.output import dumps

_READ_CHUNK = 64 * 1024
#: The largest Content-Length the Java stacks' HTTP layers read (a signed 64-bit count of bytes).
_MAX_CONTENT_LENGTH = (1 << 63) - 1


def status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def error_parts(e: ApiException) -> tuple[str, list, bytes]:
    """The WSGI status, headers and body of the contract's error."""
    body = dumps(e.body())
    headers = [("Content-Type", errors.JSON), ("Content-Length", str(len(body)))]
    headers += list(e.headers().items())
    return status_line(e.status), headers, body


def check_wsgi_request(environ, raw_path: bytes, query: bytes):
    """What gunicorn lets through and the Java stacks' HTTP layers refuse, beyond edge.check_request:
    a control character or a space in the request target (gunicorn's parser takes any byte but the
    separator space), a Content-Length past 64 bits (gunicorn reads it as a Python int, unbounded)."""
    for part in (raw_path, query):
        if any(b < 0x21 or b == 0x7f for b in part):
            raise errors.malformed_request("a control character in the request target")
    length = environ.get("CONTENT_LENGTH")
    if length and length.isdigit() and int(length) > _MAX_CONTENT_LENGTH:
        raise errors.malformed_request("a Content-Length past 64 bits")


def raw_target(environ) -> tuple[bytes, bytes]:
    """The request target's path and query as the client sent them (gunicorn's RAW_URI), the
    absolute form (RFC 9112, 3.2.2) reduced to its path."""
    raw = environ.get("RAW_URI")
    if raw is None:  # another WSGI server: rebuild it from the decoded parts
        raw = (environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")) or "/"
        if environ.get("QUERY_STRING"):
            raw += "?" + environ["QUERY_STRING"]
    raw = raw.encode("latin-1", "replace")
    if not raw.startswith(b"/") and b"://" in raw:
        parts = urlsplit(raw)
        raw = (parts.path or b"/") + ((b"?" + parts.query) if parts.query else b"")
    path, _, query = raw.partition(b"?")
    path = path.split(b"#", 1)[0]
    return path, query.split(b"#", 1)[0]


def headers_of(environ) -> list[tuple[bytes, bytes]]:
    """The request's headers as (lower-case name, value) bytes, as far as WSGI keeps them (repeated
    headers arrive joined with ',')."""
    out = []
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name = key[5:]
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            name = key
        else:
            continue
        out.append((name.replace("_", "-").lower().encode("latin-1"), str(value).encode("latin-1", "replace")))
    return out


class EdgeMiddleware:
    def __init__(self, app, protection):
        self.app = app
        self.protection = protection

    def __call__(self, environ, start_response):
        try:
            raw_path, query = raw_target(environ)
            version = environ.get("SERVER_PROTOCOL", "HTTP/1.1").removeprefix("HTTP/")
            edge.check_request(version, raw_path, query, headers_of(environ))
            check_wsgi_request(environ, raw_path, query)
            if self.protection.enabled:
                self.protection.check(environ.get("PATH_INFO", ""), environ.get("REMOTE_ADDR"),
                                      environ.get("HTTP_AUTHORIZATION"), environ.get("HTTP_X_API_KEY"))
            edge.require_valid_escapes(query)
            edge.require_chunked_only(environ.get("HTTP_TRANSFER_ENCODING"))
        except ApiException as e:
            status, headers, body = error_parts(e)
            start_response(status, headers)
            return [body]
        return self.app(environ, start_response)


def read_body(stream, content_type: str | None, content_length: int | None, max_body_bytes: int) -> bytes:
    """The body of a JSON request, at most max_body_bytes of it (HttpEdge.readBody): the media type
    first, then a declared length over the limit is refused (after draining at most DRAIN_BYTES),
    then the bytes as they come, one past the limit being too many. stream: a file-like object
    (Flask's request.stream over gunicorn's wsgi.input, which de-chunks a chunked body).
    """
    edge.require_json(content_type)
    too_large = errors.body_too_large(max_body_bytes)
    declared = content_length if content_length is not None else -1
    chunks = []
    size = 0
    try:
        if declared > max_body_bytes:
            if declared <= max_body_bytes + edge.DRAIN_BYTES:
                _drain(stream, edge.DRAIN_BYTES)
            raise too_large
        while True:
            chunk = stream.read(_READ_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > max_body_bytes:
                _drain(stream, edge.DRAIN_BYTES)
                raise too_large
            chunks.append(chunk)
    except ApiException:
        raise
    except Exception:  # the client went away, or the body could not be read as HTTP (a broken chunk)
        raise errors.unreadable_body() from None
    return b"".join(chunks)


def _drain(stream, limit: int):
    left = limit
    try:
        while left > 0:
            chunk = stream.read(min(_READ_CHUNK, left))
            if not chunk:
                return
            left -= len(chunk)
    except Exception:
        return
