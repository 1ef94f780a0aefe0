#!/usr/bin/env bash
# Creates the Python stacks' virtual environment, servers/python/target/venv, from requirements.lock
# (every package pinned, installed with --no-deps so pip never resolves), and puts this folder on its
# path (a .pth file) so the stacks import the shared package `predictbench` from here. Run by the
# Maven build (servers/python/pom.xml). Reuses the environment when the lock and the interpreter are
# unchanged. Without python3, or without its venv module, it writes the reason to
# target/python-unavailable.txt and exits 0: the Python stacks are then skipped with that message
# and the Java stacks still build and run.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
target="$here/target"
venv="$target/venv"
unavailable="$target/python-unavailable.txt"
python="${PREDICTBENCH_PYTHON:-python3}"
mkdir -p "$target"
rm -f "$unavailable"

skip() {
    echo "[predict-bench] $1" >&2
    echo "$1" > "$unavailable"
    exit 0
}

command -v "$python" > /dev/null \
    || skip "no '$python' on PATH: the Python stacks (flask, fastapi, langchain) are skipped. Install Python 3.11 or newer with its venv module (Debian: python3 python3-venv) to build and run them."

stamp="$(sha256sum "$here/requirements.lock" | cut -c1-64) $("$python" -c 'import sys; print(sys.version.split()[0])')"
if [[ -x "$venv/bin/python" && "$(cat "$target/venv.stamp" 2> /dev/null)" == "$stamp" ]]; then
    echo "[predict-bench] $venv is up to date with requirements.lock"
else
    rm -rf "$venv" "$target/venv.stamp"
    "$python" -m venv "$venv" 2> "$target/venv-error.txt" \
        || skip "'$python -m venv' failed ($(head -c 300 "$target/venv-error.txt")): the Python stacks (flask, fastapi, langchain) are skipped. Install the venv module (Debian: python3-venv) to build and run them."
    echo "[predict-bench] installing requirements.lock into $venv"
    # --retries 0: an index that cannot be reached is skipped at once instead of retried with back-off.
    # The machine's pip configuration may list index locations that do not exist; pip warns about each.
    "$venv/bin/pip" install --quiet --disable-pip-version-check --retries 0 --no-deps -r "$here/requirements.lock" \
        2> >(grep -v "^WARNING: Location '.*' is ignored" >&2)
    echo "$stamp" > "$target/venv.stamp"
fi

site="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
echo "$here" > "$site/predictbench.pth"
"$venv/bin/python" -c 'import fastapi, flask, gunicorn, uvicorn, onnxruntime, tokenizers, numpy, prometheus_client, langchain_core, httpx, openai'
echo "[predict-bench] Python stacks' environment ready: $("$venv/bin/python" --version), onnxruntime $("$venv/bin/python" -c 'import onnxruntime; print(onnxruntime.__version__)')"
