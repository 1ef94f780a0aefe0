"""The contract's rules at the HTTP edge (HttpEdge.java, MetricsAccept.java), free of any framework.

Where the Java stacks' HTTP layers (Jetty, Tomcat, Netty, Helidon) refuse a request before any
route runs, a Python server's HTTP layer may let it through (httptools has no limit on the request
line or the headers and does not check the Host header); check_request applies the same rules, with
the Java layers' default limits: 8 KiB of request target, 8 KiB of headers.
"""
from __future__ import annotations

import re

from . import errors
from .errors import ApiException

MAX_TARGET_BYTES = 8 * 1024
MAX_HEADER_BYTES = 8 * 1024
#: How much of a body over the limit is read and dropped before the 413 (HttpEdge.DRAIN_BYTES).
DRAIN_BYTES = 2 << 20

_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")
# RFC 3986 host: reg-name (unreserved, pct-encoded, sub-delims) or an IP literal, then an optional port.
_HOST = re.compile(rb"(?:\[[0-9A-Fa-f:.]+\]|(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})*)(?::[0-9]*)?")


def is_json(content_type: str | None) -> bool:
    if content_type is None:
        return False
    return content_type.split(";", 1)[0].strip().lower() == errors.JSON


def require_json(content_type: str | None):
    if not is_json(content_type):
        raise errors.unsupported_media_type(content_type)


def require_valid_escapes(raw: bytes | None):
    if raw and _ESCAPE.search(raw):
        raise errors.malformed_request("a '%' in the request target that is not a percent-escape of two hex digits")


def require_chunked_only(transfer_encoding: str | None):
    if transfer_encoding is None:
        return
    for coding in transfer_encoding.split(","):
        name = coding.strip()
        if name.split(";", 1)[0].strip().lower() != "chunked":
            raise errors.malformed_request(f"transfer coding '{name}' is not implemented; only chunked is")


def check_request(http_version: str, raw_path: bytes, query: bytes, headers) -> None:
    """What the Java stacks' HTTP layers refuse before any route: version, target, sizes, Host.

    headers: (name, value) pairs of bytes, names in lower case, as ASGI gives them.
    """
    if http_version not in ("1.0", "1.1"):
        raise errors.malformed_request(f"the server does not speak HTTP/{http_version}")
    if len(raw_path) + len(query) + 1 > MAX_TARGET_BYTES:
        raise errors.uri_too_long()
    size = 0
    hosts = []
    for name, value in headers:
        size += len(name) + len(value) + 4
        if name == b"host":
            hosts.append(value)
    if size > MAX_HEADER_BYTES:
        raise errors.headers_too_large()
    if not raw_path.startswith(b"/"):
        raise errors.malformed_request("the request target is neither a path starting with '/' nor an absolute URI")
    if http_version == "1.1" and len(hosts) != 1:
        raise errors.malformed_request("an HTTP/1.1 request needs exactly one Host header")
    if hosts and not _HOST.fullmatch(hosts[0]):
        raise errors.malformed_request("the Host header is not a host")
    require_valid_escapes(raw_path)


# ---- GET /metrics and its Accept header (MetricsAccept.java).
PROMETHEUS_TEXT = "text/plain"
OPENMETRICS = "application/openmetrics-text"


def metrics_acceptable(accept: str | None) -> bool:
    return (accept is None or not accept.strip() or _quality(accept, "text", "plain") > 0
            or _quality(accept, "application", "openmetrics-text") > 0)


def require_metrics_acceptable(accept: str | None):
    if not metrics_acceptable(accept):
        raise ApiException("NOT_ACCEPTABLE", f"GET /metrics answers {PROMETHEUS_TEXT} (Prometheus) or {OPENMETRICS}; "
                           f"Accept was '{errors.printable(accept)}'")


def _quality(accept: str, type_: str, subtype: str) -> float:
    best, q = 0, 0.0
    for media_range in accept.split(","):
        parts = media_range.split(";")
        media = parts[0].strip().lower()
        slash = media.find("/")
        if slash <= 0 or slash == len(media) - 1:
            continue
        t, s = media[:slash].strip(), media[slash + 1:].strip()
        specificity = 3 if (t == type_ and s == subtype) else 2 if (t == type_ and s == "*") else \
            1 if (t == "*" and s == "*") else 0
        if specificity == 0 or specificity < best:
            continue
        range_q = 1.0
        for p in parts[1:]:
            p = p.strip()
            if len(p) > 2 and p[0] in "qQ" and p[1] == "=":
                try:
                    range_q = float(p[2:].strip())
                except ValueError:
                    range_q = 1.0
        if specificity > best:
            best, q = specificity, range_q
        else:
            q = max(q, range_q)
    return 0.0 if q != q else q
