"""The contract's meters (Contract.java, ContractMeters.java) with prometheus_client.

Counters count for the server as a whole: with PROMETHEUS_MULTIPROC_DIR set (the launcher makes a
fresh one per start), prometheus_client's multiprocess mode writes each worker's counts to that
folder and /metrics sums them. The in-flight gauges are read at scrape time from the shared
semaphores, so they too are the server's.
"""
from __future__ import annotations

import os


class Meters:
    def __init__(self):
        from prometheus_client import CollectorRegistry, Counter
        self.multiprocess = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
        self._own = None if self.multiprocess else CollectorRegistry()
        registry = self._own
        self.predictions = Counter("predictbench_predictions", "Rows predicted by POST /predict", registry=registry)
        self.embeddings = Counter("predictbench_embeddings", "Texts embedded by POST /embed", registry=registry)
        self.searches = Counter("predictbench_searches", "Searches answered by POST /search", registry=registry)
        self.chats = Counter("predictbench_chats", "Chats answered in full by POST /chat", registry=registry)
        self.rejected = Counter("predictbench_overload_rejected",
                                "Inference calls refused with 503 OVERLOADED by the in-flight limit", registry=registry)
        self._inflight = None

    def bind_inflight(self, inflight):
        self._inflight = inflight

    def scrape(self) -> tuple[bytes, str]:
        """The Prometheus text and its content type."""
        from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
        if self.multiprocess:
            from prometheus_client import multiprocess
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
        else:
            registry = CollectorRegistry()
            registry.register(_Own(self._own))
        if self._inflight is not None:
            registry.register(_Inflight(self._inflight))
        return generate_latest(registry), CONTENT_TYPE_LATEST


class _Own:
    def __init__(self, registry):
        self.registry = registry

    def collect(self):
        return self.registry.collect()


class _Inflight:
    def __init__(self, inflight):
        self.inflight = inflight

    def collect(self):
        from prometheus_client.core import GaugeMetricFamily
        yield GaugeMetricFamily("predictbench_inflight_running", "Inference calls running now",
                                value=self.inflight.running())
        yield GaugeMetricFamily("predictbench_inflight_queued", "Inference calls waiting for a turn now",
                                value=self.inflight.waiting())
