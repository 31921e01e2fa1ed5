"""docs/architecture.md shows the layout as it is on disk: every module of the project's
packages is named with its path in the package (``parsing/cells.py``), and every module the
layout names is there."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "architecture.md"
PACKAGES = ("imports", "training")


def _modules(package: str) -> list[Path]:
    return [
        path.relative_to(ROOT / package)
        for path in (ROOT / package).rglob("*.py")
        if path.name != "__init__.py" and "migrations" not in path.parts
    ]


def _layout() -> str:
    """The page's first code block: the layout."""
    return PAGE.read_text().split("## The layout", 1)[1].split("```")[1]


def test_the_architecture_page_names_every_module_with_its_path():
    layout = _layout()
    modules = [(package, path) for package in PACKAGES for path in _modules(package)]
    assert len(modules) > 60
    missing = [
        f"{package}/{path.as_posix()}"
        for package, path in modules
        if not re.search(rf"(?<![\w/]){re.escape(path.as_posix())}\b", layout)
    ]
    assert missing == []


def test_every_module_the_layout_names_is_on_disk():
    named = set(re.findall(r"(?<![\w/.])((?:\w+/)*\w+\.py)\b", _layout()))
    assert len(named) > 60
    on_disk = {path.as_posix() for package in PACKAGES for path in _modules(package)}
    assert sorted(named - on_disk) == []
