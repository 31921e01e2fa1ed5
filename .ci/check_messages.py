"""The translation catalogues are complete and compiled: for each ``locale/*/LC_MESSAGES/*.po``
of the apps, ``msgfmt --check --statistics`` finds no untranslated and no fuzzy message, and
the committed ``.mo`` holds exactly what the ``.po`` compiles to (compared message by message,
so that another msgfmt version's bytes do not matter).

Needs GNU gettext's ``msgfmt`` (Debian: ``apt-get install gettext``). Without it the check is
skipped with a message, unless ``REQUIRE_GETTEXT=1`` (CI sets it): then it fails.
Run by ``make lint``; ``make messages`` then ``make compile-messages`` bring the catalogues up
to date (docs/admin.md, "Languages")."""

import gettext
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ("imports", "training")


def catalogue(mo: Path) -> dict:
    with mo.open("rb") as file:
        return dict(gettext.GNUTranslations(file)._catalog)  # type: ignore[attr-defined]


def check(po: Path, msgfmt: str, folder: Path) -> list[str]:
    compiled = folder / "compiled.mo"
    run = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", str(compiled), str(po)],
        capture_output=True,
        text=True,
    )
    said = (run.stdout + run.stderr).strip()
    name = po.relative_to(ROOT)
    problems = []
    if run.returncode != 0:
        problems.append(f"{name}: msgfmt failed: {said}")
        return problems
    if "untranslated" in said or "fuzzy" in said:
        problems.append(f"{name}: {said} (translate them all, none fuzzy)")
    mo = po.with_suffix(".mo")
    if not mo.exists():
        problems.append(f"{mo.relative_to(ROOT)} is missing: run make compile-messages")
    elif catalogue(mo) != catalogue(compiled):
        problems.append(
            f"{mo.relative_to(ROOT)} is out of date with its .po: run make compile-messages"
        )
    return problems


def main() -> int:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        text = "msgfmt not found (GNU gettext: apt-get install gettext)"
        if os.environ.get("REQUIRE_GETTEXT") == "1":
            print(f"Translations: {text}.", file=sys.stderr)
            return 1
        print(f"Translations: not checked, {text}; CI checks them.")
        return 0
    catalogues = sorted(
        po for app in APPS for po in (ROOT / app / "locale").glob("*/LC_MESSAGES/*.po")
    )
    if not catalogues:
        print("Translations: no catalogue found.", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        problems = [problem for po in catalogues for problem in check(po, msgfmt, Path(folder))]
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"Translations: {len(catalogues)} catalogues complete and compiled.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
