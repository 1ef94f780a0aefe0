"""What every Python stack calls: validate, infer within the limit, count, answer (PredictService.java,
GenAiService.java). One instance per worker process, created after the fork; framework glue hands
it the body's bytes and turns an ApiException into the contract's error.
"""
from __future__ import annotations

import os
import platform
import threading

from . import settings, strictjson
from .guards import InflightLimit, Protection
from .inference import DIMENSIONS, MODEL_NAME, Corpus, Embedder, Predictor
from .meters import Meters

WORKERS_ENV = "PREDICTBENCH_WORKERS"


class Service:
    def __init__(self, protection: Protection | None = None, genai: bool = True):
        if settings.batching_requested():
            raise ValueError("PREDICTBENCH_BATCHING=on: the Python stacks have no dynamic batcher; run them with it off")
        self.limits = settings.Limits.from_environment()
        self.genai_limits = settings.GenAiLimits.from_environment()
        self.options = settings.InferenceOptions.from_environment()
        self.meters = Meters()
        self.inflight = InflightLimit.from_environment(on_reject=self.meters.rejected.inc)
        self.meters.bind_inflight(self.inflight)
        self.protection = protection or Protection.from_environment()
        self.predictor = Predictor.from_environment(self.options)
        self.feature_count = self.predictor.feature_count
        self.embedder = Embedder.from_environment(self.options) if genai else None
        self.corpus = Corpus.from_environment() if genai else None

    # ---- the inference endpoints: bytes in, the response body (for orjson with numpy) out

    def predict(self, body: bytes) -> dict:
        return self.classify(self.predict_rows(body))

    def predict_rows(self, body: bytes) -> list:
        fields = strictjson.bind(body, strictjson.PREDICT)
        return strictjson.predict_rows(fields, self.feature_count, self.limits.max_batch)

    def classify(self, rows: list) -> dict:
        """Valid rows (predict_rows') in, the response body out: the model call within the limit, counted."""
        probs = self.inflight.call(self.predictor.probabilities, rows)
        predictions = self.predictor.predictions(probs)
        self.meters.predictions.inc(len(rows))
        card = self.predictor.card
        return {"model": card["name"], "version": card["version"], "predictions": predictions}

    def embed(self, body: bytes) -> dict:
        texts = strictjson.embed_texts(strictjson.bind(body, strictjson.EMBED), self.genai_limits)
        vectors = self.inflight.call(self.embedder.embed_all, texts)
        self.meters.embeddings.inc(len(texts))
        return {"model": MODEL_NAME, "dimensions": DIMENSIONS, "embeddings": vectors}

    def search(self, body: bytes) -> dict:
        query, k = strictjson.search_query(strictjson.bind(body, strictjson.SEARCH), self.genai_limits)
        hits = self.inflight.call(lambda: self.corpus.nearest(self.embedder.embed(query), k))
        self.meters.searches.inc()
        return {"model": MODEL_NAME, "query": query, "results": self.corpus.results(hits)}

    # ---- the other endpoints

    def card(self) -> dict:
        return self.predictor.card

    def info(self, stack: str, framework: str, server: str, threading_model: str, details: dict,
             host: str | None = None) -> dict:
        """The /info body: ServerInfo.java's fields, with the Python runtime in place of the JVM ("python", where a Java stack has "jvm")."""
        info = {"stack": stack, "framework": framework}
        if host is not None:
            info["host"] = host
        info["server"] = server
        info["python"] = python_version()
        info["threading"] = {"model": threading_model, "predictThread": threading.current_thread().name,
                             "details": details}
        info["inference"] = self.options.describe()
        info["limits"] = self.limits.info()
        info["guards"] = {"inflight": self.inflight.info(), "protection": self.protection.info()}
        info["batching"] = {"enabled": False, "note": "the Python stacks have no dynamic batcher"}
        calibration = self.inflight.calibration.info()
        if calibration is not None:
            info["calibration"] = calibration
        return info


def python_version() -> str:
    """"CPython 3.11.7 (GCC 12.2.0)": implementation, version and compiler of the running interpreter."""
    return f"{platform.python_implementation()} {platform.python_version()} ({platform.python_compiler()})"


def workers() -> int:
    return settings.int_value(WORKERS_ENV, 1)


def pin_native_threads():
    """numpy's BLAS and OpenMP would start a pool per process: one thread, as ONNX Runtime's options say."""
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
