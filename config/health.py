"""Health checks that apps add for /healthz (config.views.healthz). config is the bottom
layer, so it cannot import the apps: each registers its own check in AppConfig.ready()."""

from collections.abc import Callable

# name -> a function returning (ok, detail)
CHECKS: dict[str, Callable[[], tuple[bool, str]]] = {}


def register(name: str, check: Callable[[], tuple[bool, str]]) -> None:
    CHECKS[name] = check
