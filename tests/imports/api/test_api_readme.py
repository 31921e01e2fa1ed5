"""The README's curl session (a token, an upload, polling, the errors, a confirm, an undo),
run with curl and jq against a live server; its output is the one the README shows."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.imports.admin_support import make_user
from tests.imports.api.conftest import token_for

ROOT = Path(__file__).resolve().parents[3]
SECTION = "## The HTTP API"


def readme_session() -> tuple[str, list[str]]:
    """The commands of the README's session, and the output it shows."""
    text = (ROOT / "README.md").read_text().split(SECTION, 1)[1]
    commands = text.split("```sh\n", 1)[1].split("```", 1)[0]
    shown = text.split("```sh\n", 1)[1].split("```", 1)[1].split("```\n", 1)[1].split("```")[0]
    return commands, shown.splitlines()


def test_the_readmes_session_is_a_session():
    commands, shown = readme_session()
    assert "create_api_token admin" in commands and "/confirm/" in commands
    assert "/undo/" in commands and len(shown) >= 5


@pytest.mark.usefixtures("demo", "media")
def test_the_readmes_curl_session_runs_as_shown(live_server):
    missing = [tool for tool in ("curl", "jq", "bash") if shutil.which(tool) is None]
    if missing:
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail(f"{', '.join(missing)} missing and REQUIRE_SERVICES is set")
        pytest.skip(f"{', '.join(missing)} missing (apt-get install curl jq)")
    commands, shown = readme_session()
    key = token_for(make_user("admin", superuser=True))
    # The token comes from the test's database (the command would use the project's), and
    # the server is the live one: the README's own first two lines are replaced.
    lines = commands.splitlines()
    assert lines[0].startswith("TOKEN=$(") and lines[1].startswith("API=")
    script = "\n".join([f"TOKEN={key}", f"API={live_server.url}/api/v1", *lines[2:]])
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    same_ids = re.compile(r"import \d+")
    assert [same_ids.sub("import N", line) for line in done.stdout.splitlines()] == [
        same_ids.sub("import N", line) for line in shown
    ]
