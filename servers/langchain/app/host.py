"""The host: FastAPI's glue (servers/fastapi/app), imported as the package `fastapi_app`.

Every Python stack keeps its code in a package named `app` (the build's probes read `<module>/app`),
so FastAPI's cannot be imported here by its own name: it is loaded from its folder under another
name, as a package, so that its relative imports work as they do in the FastAPI stack.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

FASTAPI_APP = Path(__file__).resolve().parents[2] / "fastapi" / "app"
NAME = "fastapi_app"


def load_fastapi_glue() -> ModuleType:
    """The package `fastapi_app`, loaded once per process; `fastapi_app.glue` and `fastapi_app.serve` import from it."""
    loaded = sys.modules.get(NAME)
    if loaded is not None:
        return loaded
    spec = importlib.util.spec_from_file_location(NAME, FASTAPI_APP / "__init__.py",
                                                  submodule_search_locations=[str(FASTAPI_APP)])
    if spec is None or spec.loader is None:
        raise ImportError(f"no FastAPI glue at {FASTAPI_APP}")
    package = importlib.util.module_from_spec(spec)
    sys.modules[NAME] = package
    spec.loader.exec_module(package)
    return package
