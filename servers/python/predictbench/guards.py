"""The guards, for the server as a whole rather than per worker process.

- InflightLimit (InflightLimit.java): at most max_inflight inference calls at once, at most
  max_queued more waiting, none longer than the queue timeout; past that 503 OVERLOADED with
  Retry-After: 1. Shared by every worker process through two POSIX named semaphores (one counts
  free run slots, one free queue places), which the launcher creates before the workers start and
  names in the environment (PREDICTBENCH_SHARED_SEMAPHORES); a waiting call blocks in
  sem_clockwait without the GIL. A process started without them (a test, a single process) makes
  its own, unnamed once opened.
- Protection (Protection.java): the opt-in API key and the per-client rate limit, the rate limit's
  windows kept in one small file shared by every worker (PREDICTBENCH_SHARED_RATE_FILE), updated
  under flock: each client may send rate requests per one-second window, counted from its first
  request, as resilience4j's RateLimiter does.
- CalibrationWork (CalibrationWork.java): PREDICTBENCH_CALIBRATION_CPU_MICROS of extra CPU after
  each inference call, inside the in-flight slot.
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import hashlib
import hmac
import mmap
import os
import secrets
import struct
import time

from . import settings
from .errors import ApiException

RETRY_AFTER_SECONDS = 1
SEMAPHORES_ENV = "PREDICTBENCH_SHARED_SEMAPHORES"
RATE_FILE_ENV = "PREDICTBENCH_SHARED_RATE_FILE"


class _Timespec(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]


_libc = ctypes.CDLL(None, use_errno=True)
_sem_open = _libc.sem_open
_sem_open.restype = ctypes.c_void_p
_sem_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_uint, ctypes.c_uint]
for _name in ("sem_trywait", "sem_post", "sem_close"):
    getattr(_libc, _name).argtypes = [ctypes.c_void_p]
    getattr(_libc, _name).restype = ctypes.c_int
_libc.sem_getvalue.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]
_libc.sem_unlink.argtypes = [ctypes.c_char_p]
_sem_clockwait = getattr(_libc, "sem_clockwait", None)
if _sem_clockwait is not None:
    _sem_clockwait.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(_Timespec)]
    _sem_clockwait.restype = ctypes.c_int
else:  # glibc before 2.30: the wall clock
    _libc.sem_timedwait.argtypes = [ctypes.c_void_p, ctypes.POINTER(_Timespec)]
_O_CREAT, _O_EXCL = os.O_CREAT, os.O_EXCL
_CLOCK_MONOTONIC = time.CLOCK_MONOTONIC


class Semaphore:
    """A POSIX named semaphore, shared by every process that opens its name."""

    def __init__(self, name: str, value: int | None = None):
        self.name = name
        flags = (_O_CREAT | _O_EXCL) if value is not None else 0
        handle = _sem_open(name.encode(), flags, 0o600, value or 0)
        if not handle:
            e = ctypes.get_errno()
            raise OSError(e, f"sem_open {name}: {os.strerror(e)}")
        self.handle = handle

    def try_acquire(self) -> bool:
        return _libc.sem_trywait(self.handle) == 0

    def acquire(self, timeout_seconds: float) -> bool:
        if timeout_seconds <= 0:
            return self.try_acquire()
        clock = time.CLOCK_MONOTONIC if _sem_clockwait is not None else time.CLOCK_REALTIME
        deadline = time.clock_gettime_ns(clock) + int(timeout_seconds * 1e9)
        ts = _Timespec(deadline // 1_000_000_000, deadline % 1_000_000_000)
        while True:
            r = (_sem_clockwait(self.handle, _CLOCK_MONOTONIC, ctypes.byref(ts)) if _sem_clockwait is not None
                 else _libc.sem_timedwait(self.handle, ctypes.byref(ts)))
            if r == 0:
                return True
            e = ctypes.get_errno()
            if e == errno.EINTR:
                continue
            if e == errno.ETIMEDOUT:
                return False
            raise OSError(e, f"sem wait {self.name}: {os.strerror(e)}")

    def release(self):
        _libc.sem_post(self.handle)

    def value(self) -> int:
        v = ctypes.c_int()
        _libc.sem_getvalue(self.handle, ctypes.byref(v))
        return max(v.value, 0)

    def unlink(self):
        _libc.sem_unlink(self.name.encode())


def create_shared(inflight: settings.InflightSettings) -> tuple[dict, callable]:
    """For a launcher, before its workers start: the shared semaphores and rate file, the environment
    that names them, and a function that removes them."""
    prefix = f"/predictbench-{os.getpid()}-{secrets.token_hex(4)}"
    run = Semaphore(prefix + "-run", inflight.max_inflight)
    queue = Semaphore(prefix + "-queue", inflight.max_queued)
    fd, rate_file = _rate_file_create()
    os.close(fd)

    def cleanup():
        for s in (run, queue):
            s.unlink()
        try:
            os.unlink(rate_file)
        except FileNotFoundError:
            pass

    return {SEMAPHORES_ENV: prefix, RATE_FILE_ENV: rate_file}, cleanup


class CalibrationWork:
    """Extra CPU per inference call: PREDICTBENCH_CALIBRATION_CPU_MICROS of this thread's CPU time."""
    SETTING = "PREDICTBENCH_CALIBRATION_CPU_MICROS"
    SHARE_SETTING = "PREDICTBENCH_CALIBRATION_CPU_SHARE"

    def __init__(self, micros: float):
        if not (0 <= micros <= 1_000_000):
            raise ValueError(f"{self.SETTING} must be between 0 and 1000000 (microseconds of CPU per inference call), "
                             f"got {micros}")
        self.micros = micros
        self.nanos = int(micros * 1000)

    @staticmethod
    def from_environment() -> "CalibrationWork":
        def parse(name):
            v = settings.string(name)
            if v is None:
                return 0.0
            try:
                return float(v)
            except ValueError:
                raise ValueError(f"{name} must be a number, got '{v}'") from None
        if parse(CalibrationWork.SHARE_SETTING) > 0:
            raise ValueError(f"{CalibrationWork.SHARE_SETTING} is not implemented by the Python stacks; "
                             f"use {CalibrationWork.SETTING}")
        return CalibrationWork(parse(CalibrationWork.SETTING))

    @property
    def enabled(self) -> bool:
        return self.nanos > 0

    def burn(self):
        """Spends the configured CPU on this thread: a busy loop on its CPU clock, not a wait."""
        if self.nanos <= 0:
            return
        end = time.thread_time_ns() + self.nanos
        while time.thread_time_ns() < end:
            pass

    def info(self) -> dict | None:
        if not self.enabled:
            return None
        return {"cpuMicrosPerCall": self.micros,
                "note": "a busy loop on the thread's CPU clock after each inference call: a calibration run, never a baseline"}


class InflightLimit:
    """The bound on inference work in the server: run slots and queue places shared by every worker."""

    def __init__(self, inflight: settings.InflightSettings, calibration: CalibrationWork | None = None,
                 on_reject=None):
        self.settings = inflight
        self.calibration = calibration or CalibrationWork(0)
        self.on_reject = on_reject or (lambda: None)
        prefix = settings.string(SEMAPHORES_ENV)
        if prefix:
            self.run = Semaphore(prefix + "-run")
            self.queue = Semaphore(prefix + "-queue")
            self.scope = "server: shared by every worker process (POSIX named semaphores)"
        else:
            prefix = f"/predictbench-{os.getpid()}-{secrets.token_hex(4)}"
            self.run = Semaphore(prefix + "-run", inflight.max_inflight)
            self.queue = Semaphore(prefix + "-queue", inflight.max_queued)
            self.run.unlink()
            self.queue.unlink()
            self.scope = "process"
        self.timeout = inflight.queue_timeout_millis / 1000.0

    @staticmethod
    def from_environment(on_reject=None) -> "InflightLimit":
        return InflightLimit(settings.InflightSettings.from_environment(), CalibrationWork.from_environment(), on_reject)

    def running(self) -> int:
        return self.settings.max_inflight - self.run.value()

    def waiting(self) -> int:
        return self.settings.max_queued - self.queue.value()

    def call(self, work, *args):
        """work(*args) within the limit, then the calibration's extra CPU; 503 OVERLOADED when shed."""
        self._acquire()
        try:
            result = work(*args)
            self.calibration.burn()
            return result
        finally:
            self.run.release()

    def _acquire(self):
        if self.run.try_acquire():
            return
        if not self.queue.try_acquire():
            raise self._overloaded(f"{self.settings.max_queued} requests are already waiting")
        try:
            if not self.run.acquire(self.timeout):
                raise self._overloaded(f"no turn came within {self.settings.queue_timeout_millis} ms")
        finally:
            self.queue.release()

    def _overloaded(self, why: str) -> ApiException:
        self.on_reject()
        return ApiException("OVERLOADED", f"the server is at its limit of {self.settings.max_inflight} inference calls "
                            f"in flight ({why}); retry after {RETRY_AFTER_SECONDS} s", RETRY_AFTER_SECONDS)

    def info(self) -> dict:
        return {"maxInflight": self.settings.max_inflight, "maxQueued": self.settings.max_queued,
                "queueTimeoutMillis": self.settings.queue_timeout_millis, "scope": self.scope}


# ---- The rate limit's shared table: a header (entries in use), then slots of
# (client key, first request ns, window, count), open addressing, under flock.
_SLOTS = 16384
_HEADER = struct.Struct("<q")
_SLOT = struct.Struct("<Qqqq")
_RATE_FILE_BYTES = _HEADER.size + _SLOTS * _SLOT.size
MAX_CLIENTS = 10_000
OPEN_PATHS = frozenset(("/health/live", "/health/ready", "/metrics"))


def _rate_file_create():
    import tempfile
    fd, path = tempfile.mkstemp(prefix="predictbench-rate-")
    os.ftruncate(fd, _RATE_FILE_BYTES)
    return fd, path


class _RateTable:
    def __init__(self, limit: int):
        self.limit = limit
        path = settings.string(RATE_FILE_ENV)
        if path:
            self.fd = os.open(path, os.O_RDWR)
        else:
            self.fd, path = _rate_file_create()
            os.unlink(path)
        self.map = mmap.mmap(self.fd, _RATE_FILE_BYTES)

    def allow(self, client: str) -> bool:
        key = int.from_bytes(hashlib.blake2b(client.encode("utf-8", "replace"), digest_size=8).digest(), "little") or 1
        m = self.map
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        try:
            now = time.monotonic_ns()
            slot = self._slot(m, key)
            if slot is None:
                (used,) = _HEADER.unpack_from(m, 0)
                if used >= MAX_CLIENTS:  # a bound on memory, not a policy: start over
                    m[:] = bytes(_RATE_FILE_BYTES)
                    used = 0
                slot = self._free(m, key)
                _HEADER.pack_into(m, 0, used + 1)
                _SLOT.pack_into(m, slot, key, now, 0, 0)
            _, first, window, count = _SLOT.unpack_from(m, slot)
            w = (now - first) // 1_000_000_000
            if w != window:
                window, count = w, 0
            allowed = count < self.limit
            _SLOT.pack_into(m, slot, key, first, window, count + 1 if allowed else count)
            return allowed
        finally:
            fcntl.flock(self.fd, fcntl.LOCK_UN)

    @staticmethod
    def _slot(m, key):
        i = key % _SLOTS
        for _ in range(_SLOTS):
            off = _HEADER.size + i * _SLOT.size
            (k,) = struct.unpack_from("<Q", m, off)
            if k == key:
                return off
            if k == 0:
                return None
            i = (i + 1) % _SLOTS
        return None

    @staticmethod
    def _free(m, key):
        i = key % _SLOTS
        while True:
            off = _HEADER.size + i * _SLOT.size
            (k,) = struct.unpack_from("<Q", m, off)
            if k == 0:
                return off
            i = (i + 1) % _SLOTS


class Protection:
    """PREDICTBENCH_API_KEY (Bearer or X-API-Key) and PREDICTBENCH_RATE_LIMIT per client; both off by default."""

    def __init__(self, api_key: str | None, rate_limit: int):
        if rate_limit < 0:
            raise ValueError(f"PREDICTBENCH_RATE_LIMIT must be 0 (off) or more, got {rate_limit}")
        self.api_key = api_key.encode() if api_key and api_key.strip() else None
        self.rate_limit = rate_limit
        self.table = _RateTable(rate_limit) if rate_limit > 0 else None

    @staticmethod
    def from_environment() -> "Protection":
        return Protection(settings.string("PREDICTBENCH_API_KEY"), settings.int_value("PREDICTBENCH_RATE_LIMIT", 0))

    @property
    def enabled(self) -> bool:
        return self.api_key is not None or self.table is not None

    def info(self) -> dict:
        return {"apiKey": self.api_key is not None, "rateLimitPerSecond": self.rate_limit}

    def check(self, path: str, client: str | None, authorization: str | None, x_api_key: str | None):
        """Rate limit first (so guessing keys is limited too), then the key; open paths pass."""
        if not self.enabled or path in OPEN_PATHS:
            return
        if self.table is not None and not self.table.allow(client or ""):
            raise ApiException("RATE_LIMITED", f"more than {self.rate_limit} requests per second from this client; "
                               "retry after 1 s", 1)
        if self.api_key is not None and not (self._matches(_bearer(authorization)) or self._matches(x_api_key)):
            raise ApiException("UNAUTHORIZED", "this server needs an API key: send 'Authorization: Bearer <key>' or "
                               "'X-API-Key: <key>'" if authorization is None and x_api_key is None
                               else "the API key is not valid")

    def _matches(self, candidate: str | None) -> bool:
        return candidate is not None and hmac.compare_digest(self.api_key, candidate.encode("utf-8", "surrogateescape"))


def _bearer(authorization: str | None) -> str | None:
    if authorization is None or len(authorization) < 7 or authorization[:7].lower() != "bearer ":
        return None
    return authorization[7:].strip()
