"""docs/architecture.md names every module of the project's packages."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_architecture_page_names_every_module():
    page = (ROOT / "docs" / "architecture.md").read_text()
    modules = [
        path
        for package in ("imports", "training")
        for path in (ROOT / package).rglob("*.py")
        if path.name != "__init__.py" and "migrations" not in path.parts
    ]
    assert len(modules) > 40
    missing = [str(p.relative_to(ROOT)) for p in modules if p.stem not in page]
    assert missing == []
