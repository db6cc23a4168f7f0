"""The apps' imports point one way, down the layers, and no module cycle hides anywhere.

The layers, bottom first (an app may import its own layer's modules and any layer below):

    config, common      settings, middleware, the throttle, form helpers
    accounts            staff roles, sign-in, the header's staff links, staff commands
    meetups             the listed groups and the public directory
    intake              proposals and their state machine
    reviews             the reviewer workspace
    notifications       emails: it listens to intake's and reviews' signals
    reports             the program in figures: reads the histories of the apps below

A lower app that needs an upper one to act sends a Django signal, and the upper one connects
to it in its AppConfig.ready(). Modules that only wire things together (`config.urls`,
which names every app's URLs) sit above all of them and may point anywhere.

The graph is read from the source with `ast`, so it includes imports inside functions:
an import moved into a function to dodge a cycle still counts as the cycle it dodges. Every
.py file of the apps is read, except migrations (generated, and free to name any app).
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LAYERS = {
    "config": 0,
    "common": 0,
    "accounts": 1,
    "meetups": 2,
    "intake": 3,
    "reviews": 4,
    "notifications": 5,
    "reports": 6,
}
# Modules that only wire apps together: the top of the order.
WIRING = {"config.urls"}


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def app_modules(root: Path) -> dict[str, Path]:
    modules = {}
    for app in LAYERS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" not in path.relative_to(root).parts:
                modules[_module_name(root, path)] = path
    return modules


def _imported_names(module: str, path: Path, tree: ast.AST):
    """Every module name an import statement in `tree` may load, relative ones resolved."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            yield target
            for alias in node.names:  # `from . import services` loads a module
                yield f"{target}.{alias.name}"


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """module -> the app modules it imports (itself and third-party modules left out)."""
    modules = app_modules(root)
    graph = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        graph[module] = {
            name for name in _imported_names(module, path, tree) if name in modules
        } - {module}
    return graph


def _app(module: str) -> str:
    return module.partition(".")[0]


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    return sorted(
        f"{source} imports {target}"
        for source, targets in graph.items()
        if source not in WIRING
        for target in targets
        if target in WIRING or LAYERS[_app(target)] > LAYERS[_app(source)]
    )


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_is_read_from_every_app():
    graph = import_graph()
    assert set(LAYERS) <= {_app(m) for m in graph}
    # Sanity: known edges are seen, including one inside a function (AppConfig.ready).
    assert "intake.models" in graph["intake.services"]
    assert "meetups.receivers" in graph["meetups.apps"]


def test_no_import_cycle_between_modules():
    assert cycles(import_graph()) == []


def test_imports_point_down_the_layers():
    assert upward_imports(import_graph()) == []


def test_the_checks_catch_a_cycle_and_an_upward_import():
    graph = {
        "intake.services": {"notifications.services"},
        "notifications.services": {"intake.services"},
        "meetups.models": set(),
    }
    assert cycles(graph) == [["intake.services", "notifications.services"]]
    assert upward_imports(graph) == ["intake.services imports notifications.services"]
