"""The Python stacks' in-process ceiling: one workload's request, body bytes in to response bytes out,
through predictbench's Service as every Python stack calls it (parse, validate, infer within the
limit, count, serialize), on one thread without HTTP. It is the Python counterpart of the JVM stacks'
CeilingBenchmark, and the figure a Python stack's framework tax divides its HTTP throughput per core by.

The benchmarks module runs it (PythonCeiling.java) pinned to the servers' CPU set, with the load's own
bodies (one JSON body per line, taken in turn) and JMH's iterations; it prints one JSON line: the
requests per second of each measured iteration, timed with time.perf_counter_ns.

    python ceiling.py --workload tabular --bodies bodies.jsonl --warmup-iterations 3 --warmup-seconds 2 \
        --iterations 3 --seconds 2
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import time

from predictbench.service import pin_native_threads

pin_native_threads()

import onnxruntime  # noqa: E402

from predictbench import service as services  # noqa: E402
from predictbench.output import dumps  # noqa: E402

WORKLOADS = ("tabular", "embed", "search")


def endpoint(service: services.Service, workload: str):
    """The workload's endpoint without HTTP: request body bytes to response body bytes."""
    call = {"tabular": service.predict, "embed": service.embed, "search": service.search}[workload]
    return lambda body: dumps(call(body))


def iteration(answer, bodies: list[bytes], start_at: int, seconds: float) -> tuple[float, int, int]:
    """Answers bodies in turn for `seconds`: (requests per second, requests, index of the next body)."""
    n = 0
    i = start_at
    started = time.perf_counter_ns()
    deadline = started + int(seconds * 1e9)
    now = started
    while now < deadline:
        answer(bodies[i])
        i = i + 1 if i + 1 < len(bodies) else 0
        n += 1
        now = time.perf_counter_ns()
    return n / ((now - started) / 1e9), n, i


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", choices=WORKLOADS, required=True)
    parser.add_argument("--bodies", required=True, help="one request body per line")
    parser.add_argument("--warmup-iterations", type=int, default=3)
    parser.add_argument("--warmup-seconds", type=float, default=2.0)
    parser.add_argument("--iterations", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args(argv)
    if args.iterations < 1 or args.seconds <= 0 or args.warmup_iterations < 0 or args.warmup_seconds <= 0:
        parser.error("--iterations must be at least 1, --warmup-iterations at least 0, and the lengths positive")
    with open(args.bodies, "rb") as f:
        bodies = [line for line in f.read().split(b"\n") if line]
    if not bodies:
        parser.error(f"no bodies in {args.bodies}")

    service = services.Service(genai=args.workload != "tabular")
    answer = endpoint(service, args.workload)
    # Every body must be answered, not refused: a refusal would time the error path.
    for body in bodies:
        answer(body)

    at = 0
    for _ in range(args.warmup_iterations):
        _, _, at = iteration(answer, bodies, at, args.warmup_seconds)
    measured = []
    requests = 0
    for _ in range(args.iterations):
        rate, n, at = iteration(answer, bodies, at, args.seconds)
        measured.append(rate)
        requests += n
    print(json.dumps({"workload": args.workload, "iterations": measured, "requests": requests,
                      "python": platform.python_version(), "implementation": platform.python_implementation(),
                      "onnxruntime": onnxruntime.__version__, "timer": "time.perf_counter_ns"}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
