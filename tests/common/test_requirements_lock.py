"""requirements.lock pins every installed distribution the project depends on, directly
or through a dependency, dev extras included: an unpinned one installs at whatever version
is newest the day of the install."""

import importlib.metadata as metadata
import re
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

LOCK = Path(__file__).resolve().parents[2] / "requirements.lock"
PROJECT = "meetup-proposals"


def pinned() -> dict[str, str]:
    pins = {}
    for line in LOCK.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if match := re.fullmatch(r"([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==(\S+)", line):
            pins[canonicalize_name(match[1])] = match[2]
    return pins


def wanted(requirement: Requirement, extras: set[str]) -> bool:
    if requirement.marker is None:
        return True
    if not extras:
        return requirement.marker.evaluate({"extra": ""})
    return any(requirement.marker.evaluate({"extra": extra}) for extra in extras)


def installed_dependencies() -> dict[str, str]:
    """Every installed distribution reached from the project's requirements, with the
    extras each was asked for."""
    found: dict[str, str] = {}
    queue = [(PROJECT, {"dev"})]
    seen: set[tuple[str, frozenset[str]]] = set()
    while queue:
        name, extras = queue.pop()
        key = (canonicalize_name(name), frozenset(extras))
        if key in seen:
            continue
        seen.add(key)
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # not installed here (a marker for another platform, say)
        if canonicalize_name(name) != PROJECT:
            found[canonicalize_name(name)] = dist.version
        for text in dist.requires or []:
            requirement = Requirement(text)
            if wanted(requirement, extras):
                queue.append((requirement.name, set(requirement.extras)))
    return found


def test_every_installed_dependency_is_pinned_in_the_lock_at_its_installed_version():
    pins = pinned()
    dependencies = installed_dependencies()
    assert "django" in dependencies and "pytest" in dependencies  # the walk reached both
    missing = sorted(name for name in dependencies if name not in pins)
    assert missing == [], f"not in requirements.lock: {missing}"
    different = {
        name: (pins[name], version)
        for name, version in dependencies.items()
        if pins[name] != version
    }
    assert different == {}, f"lock pins another version than installed: {different}"
