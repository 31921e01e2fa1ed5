"""The parts of the layer rules that import-linter cannot state, or states elsewhere:

- planning and parsing never import ``django.db``, not even through another module of the
  project (import-linter forbids only whole external packages, ``django``, not ``django.db``;
  the other forbidden modules of the same rule are the contract "planning-without-database" in
  pyproject.toml, whose source modules and ignored imports this test reads, so that the rule
  is written once);
- the top of ``imports/`` holds only Django's and Celery's places and the public doors, thin;
  every other module is in the package of its layer, and every package is a layer of the
  contract "layers" (exhaustive: a new one must be placed);
- no module of the app imports the names gathered in ``imports/jobs/__init__.py``: inside the
  app a module imports the module that holds a name, and a door calls the job service.
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
    # a chain is followed
    assert "imports.database.fetch" in _reached(graph, "imports.database.lookups")


# The top of imports/: Django's and Celery's required places (admin, apps, models, tasks), the
# settings (conf) and the django-import-export door (resource); the rest is in a layer's package.
THIN = {"__init__", "admin", "apps", "conf", "models", "resource", "tasks"}
PACKAGES = {
    "api",
    "batch",
    "database",
    "engine",
    "export",
    "jobs",
    "management",
    "migrations",
    "parsing",
    "planning",
    "web",
}


def test_the_top_of_imports_holds_only_the_thin_modules():
    top = ROOT / "imports"
    modules = {path.stem for path in top.glob("*.py")}
    packages = {path.name for path in top.iterdir() if (path / "__init__.py").is_file()}
    assert modules == THIN, "a new module goes into the package of its layer"
    assert len(modules) <= 10
    assert packages == PACKAGES, "a new package is a layer: docs/architecture.md, pyproject.toml"


def test_every_package_and_module_at_the_top_of_imports_is_in_a_layer():
    contract = _contract("layers")
    assert contract["containers"] == ["imports"] and contract["exhaustive"] is True
    layered = {name.strip() for layer in contract["layers"] for name in re.split("[|:]", layer)}
    children = {m.rpartition(".")[2] for m in _graph([]).find_children("imports")}
    assert children - layered == set(contract["exhaustive_ignores"]) == {"apps", "migrations"}
    assert layered == (THIN | PACKAGES) - {"__init__", "apps", "migrations"}


def test_no_module_of_the_app_imports_the_names_gathered_by_the_jobs_package():
    graph = _graph([])
    users = sorted(
        module
        for module in graph.find_descendants("imports") | {"imports"}
        if module != "imports.jobs"
        and graph.direct_import_exists(importer=module, imported="imports.jobs")
    )
    assert users == [], "import the module that holds the name (or call imports.jobs.service)"
