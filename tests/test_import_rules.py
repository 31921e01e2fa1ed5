"""The parts of the layer rules that import-linter cannot state: planning and parsing never
import ``django.db``, not even through another module of the project; and every module of
``imports`` is placed in the engine or above it, so that a new module cannot escape the rules.

import-linter forbids only whole external packages (``django``), not ``django.db``; the other
forbidden modules of the same rule are the contract "planning-without-database" in pyproject.toml,
whose source modules and ignored imports this test reads, so that the rule is written once.
"""

import re
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
DJANGO_DB = re.compile(r"\bdjango\.db\b|\bfrom\s+django\s+import\s+(\w+\s*,\s*)*db\b")


def _contract(contract_id: str) -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["id"] == contract_id)


def _planning_contract() -> dict:
    return _contract("planning-without-database")


def _graph(ignored: list[str]) -> grimp.ImportGraph:
    graph = grimp.build_graph("imports", "training", "config", include_external_packages=True)
    for expression in ignored:
        importer, imported = (part.strip() for part in expression.split("->"))
        graph.remove_import(importer=importer, imported=imported)
    return graph


def _django_db_lines(graph: grimp.ImportGraph, module: str) -> list[str]:
    details = graph.get_import_details(importer=module, imported="django")
    return [
        f"{module}:{d['line_number']}: {d['line_contents']}"
        for d in details
        if DJANGO_DB.search(d["line_contents"])
    ]


def _reached(graph: grimp.ImportGraph, package: str) -> set[str]:
    """The project modules `package` (and its submodules) import, directly or not, and itself."""
    own = {package} | graph.find_descendants(package)
    upstream = graph.find_upstream_modules(package, as_package=True)
    return {m for m in own | upstream if m.split(".")[0] in ("imports", "training", "config")}


def test_planning_and_parsing_never_import_django_db():
    contract = _planning_contract()
    graph = _graph(contract.get("ignore_imports", []))
    found = sorted(
        f"{source} -> {line}"
        for source in contract["source_modules"]
        for module in _reached(graph, source)
        for line in _django_db_lines(graph, module)
    )
    assert not found, "planning/parsing reaches django.db:\n" + "\n".join(found)


def test_the_django_db_check_sees_a_database_module():
    graph = _graph([])
    assert _django_db_lines(graph, "imports.database.lookups")
    assert "imports.database.fetch" in _reached(
        graph, "imports.database.lookups"
    )  # a chain is followed


# Neither engine nor door: the app's registration, the migrations, the templates' folder.
UNPLACED = {"imports.apps", "imports.migrations"}


def test_every_module_of_imports_is_in_the_engine_or_above_it():
    contract = _contract("engine-below-doors")
    placed = set(contract["source_modules"]) | {
        m for m in contract["forbidden_modules"] if m.startswith("imports.")
    }
    graph = _graph([])
    modules = {m for m in graph.find_descendants("imports") if not graph.find_children(m)}
    unplaced = {
        m for m in modules if not any(m == p or m.startswith(p + ".") for p in placed | UNPLACED)
    }
    assert unplaced == set(), "place it in the engine-below-doors contract"
    assert placed & UNPLACED == set()
