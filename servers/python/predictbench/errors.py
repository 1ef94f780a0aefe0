"""The contract's errors (ErrorCode.java, ApiException.java, HttpEdge.java's wording).

The wire form is {"error": "<message for a person>", "code": "<CODE>"}; each code has one status.
"""
from __future__ import annotations

import re

STATUS = {
    "BAD_REQUEST": 400, "MALFORMED_JSON": 400, "MISSING_FIELD": 400, "MISTYPED_FIELD": 400,
    "UNKNOWN_FIELD": 400, "EMPTY_BATCH": 400, "EMPTY_TEXT": 400, "K_OUT_OF_RANGE": 400,
    "WRONG_FEATURE_COUNT": 400, "NON_FINITE_VALUE": 400,
    "BATCH_TOO_LARGE": 413, "TOO_MANY_TEXTS": 413, "TEXT_TOO_LONG": 413, "BODY_TOO_LARGE": 413,
    "URI_TOO_LONG": 414, "HEADERS_TOO_LARGE": 431, "UNAUTHORIZED": 401, "RATE_LIMITED": 429,
    "OVERLOADED": 503, "UNSUPPORTED_MEDIA_TYPE": 415, "NOT_FOUND": 404, "METHOD_NOT_ALLOWED": 405,
    "NOT_ACCEPTABLE": 406, "INTERNAL_ERROR": 500,
    # /chat's own: its request rules, and the OpenAI-compatible upstream it relays.
    "TOO_MANY_MESSAGES": 413, "INVALID_ROLE": 400, "UPSTREAM_FAILED": 502, "UPSTREAM_TIMEOUT": 504,
}

JSON = "application/json"


class ApiException(Exception):
    """A request the contract rejects: a code (and so a status), a message, maybe Retry-After."""

    def __init__(self, code: str, message: str, retry_after: int | None = None):
        super().__init__(message)
        if code not in STATUS:
            raise ValueError(f"no such error code {code}")
        self.code = code
        self.message = message
        self.retry_after = retry_after

    @property
    def status(self) -> int:
        return STATUS[self.code]

    def body(self) -> dict:
        return {"error": self.message, "code": self.code}

    def headers(self) -> dict:
        """Retry-After with 429 and 503, WWW-Authenticate: Bearer with 401 (HttpEdge.headers)."""
        h = {}
        if self.retry_after is not None:
            h["Retry-After"] = str(self.retry_after)
        if self.code == "UNAUTHORIZED":
            h["WWW-Authenticate"] = "Bearer"
        return h


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def printable(value: str) -> str:
    """A value from the request as it may appear in a message: no control characters, at most 200 characters."""
    shown = value[:200] + "..." if len(value) > 200 else value
    return _CONTROL.sub("?", shown)


def _request(method, path) -> str:
    if method is None and path is None:
        return "this request"
    return ((printable(method) + " ") if method is not None else "") + (printable(path) if path is not None else "")


def not_found(method, path) -> ApiException:
    return ApiException("NOT_FOUND", "no such path: " + _request(method, path))


def method_not_allowed(method, path) -> ApiException:
    return ApiException("METHOD_NOT_ALLOWED", (printable(method) if method is not None else "this method")
                        + " is not allowed on " + (printable(path) if path is not None else "this path"))


def malformed_request(why: str) -> ApiException:
    return ApiException("BAD_REQUEST", "malformed HTTP request: " + printable(why))


def unreadable_body() -> ApiException:
    return ApiException("BAD_REQUEST", "the request body could not be read as HTTP")


def unsupported_media_type(content_type: str | None) -> ApiException:
    return ApiException("UNSUPPORTED_MEDIA_TYPE", "Content-Type must be " + JSON + ", was "
                        + ("absent" if content_type is None else "'" + printable(content_type) + "'"))


def body_too_large(max_body_bytes: int) -> ApiException:
    return ApiException("BODY_TOO_LARGE", f"request body is larger than the limit of {max_body_bytes} bytes")


def uri_too_long() -> ApiException:
    return ApiException("URI_TOO_LONG", "the request line is longer than the server accepts")


def headers_too_large() -> ApiException:
    return ApiException("HEADERS_TOO_LARGE", "the request headers are larger than the server accepts")


def internal_error() -> ApiException:
    return ApiException("INTERNAL_ERROR", "internal error")


def code_for(status: int) -> str:
    """The contract's code for a status a framework or its HTTP layer chose by itself (HttpEdge.codeFor)."""
    return {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 406: "NOT_ACCEPTABLE", 413: "BODY_TOO_LARGE",
            414: "URI_TOO_LONG", 415: "UNSUPPORTED_MEDIA_TYPE", 431: "HEADERS_TOO_LARGE", 501: "BAD_REQUEST",
            505: "BAD_REQUEST", 503: "OVERLOADED"}.get(
        status, "BAD_REQUEST" if 400 <= status < 500 else "INTERNAL_ERROR")


def for_status(status: int, method=None, path=None, max_body_bytes: int | None = None) -> ApiException:
    """The contract's error for a status a framework chose (HttpEdge.forStatus)."""
    code = code_for(status)
    if code == "NOT_FOUND":
        return not_found(method, path)
    if code == "METHOD_NOT_ALLOWED":
        return method_not_allowed(method, path)
    if code == "BODY_TOO_LARGE":
        return body_too_large(max_body_bytes) if max_body_bytes else ApiException(
            code, "request body is larger than the server accepts")
    if code == "UNSUPPORTED_MEDIA_TYPE":
        return ApiException(code, "Content-Type must be " + JSON)
    if code == "URI_TOO_LONG":
        return uri_too_long()
    if code == "HEADERS_TOO_LARGE":
        return headers_too_large()
    if code == "NOT_ACCEPTABLE":
        return ApiException(code, "the Accept header rules out every format " + _request(method, path) + " answers")
    if code == "OVERLOADED":
        return ApiException(code, "the server is at its limit of work in flight")
    if code == "INTERNAL_ERROR":
        return internal_error()
    if status == 501:
        return malformed_request("it asks for something the server does not implement (HTTP 501)")
    if status == 505:
        return malformed_request("the server does not speak its HTTP version (HTTP 505)")
    return malformed_request(f"HTTP {status}")
