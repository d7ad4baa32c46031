"""The app's modules stand in layers: no import cycle inside assistant.tui, and only the
app module imports the app (screens, widgets and commands reach it through messages and
the controller Protocol)."""

from __future__ import annotations

from functools import cache

import grimp

TUI = "assistant.tui"


@cache
def imports() -> dict[str, set[str]]:
    """Each module of assistant.tui and the modules of assistant.tui it imports (type-checking
    imports included: they tie modules together just the same for a reader)."""
    graph = grimp.build_graph("assistant")
    inside = {m for m in graph.modules if m == TUI or m.startswith(TUI + ".")}
    return {m: graph.find_modules_directly_imported_by(m) & inside for m in inside}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module, or with a self-import
    (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in edges.get(node, ()):
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_cycles() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"a"}}) == [["a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_inside_the_tui() -> None:
    edges = imports()
    assert f"{TUI}.controller" in edges and f"{TUI}.screens.ask" in edges  # the graph is the real one
    assert cycles(edges) == []


def test_only_the_app_module_imports_the_app() -> None:
    importers = sorted(m for m, imported in imports().items() if f"{TUI}.app" in imported)
    assert importers == []


def test_the_controller_and_the_state_do_not_import_textual() -> None:
    graph = grimp.build_graph("assistant", include_external_packages=True)
    for module in (f"{TUI}.controller", f"{TUI}.state", f"{TUI}.output", f"{TUI}.i18n"):
        chain = graph.find_shortest_chain(importer=module, imported="textual")
        assert chain is None, chain
