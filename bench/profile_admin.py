"""Where the admin preview's time goes (issue 17): the admin case of ``run.py`` (a real server,
HTTP upload, preview page, confirm), its server running ``profiled_wsgi.py``.

    .venv/bin/python bench/profile_admin.py [--repeat 3] [--databases sqlite,postgresql]
        [--database-url postgres://postgres@127.0.0.1:5432/intervention_bench] [--cprofile]
        [--updates half|all]

Each repetition: a fresh copy of the seeded template, a fresh server, the upload of the 100k
file (``--updates``: the planner's file of issue 31, half or all of its rows updates), its
preview page, its confirm. Printed: each request's wall time and the time of each timed part
(medians over the repetitions). ``--cprofile`` also dumps each request's cProfile
statistics into ``bench/data/profile/`` (slower: do not read its seconds as the timers').
"""

import argparse
import json
import statistics
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import admin_http  # noqa: E402
import datagen  # noqa: E402
import run  # noqa: E402
from databases import PostgresBench, SqliteBench  # noqa: E402

APP = "bench.profiled_wsgi:application"
STEPS = ("upload POST", "preview page GET", "confirm POST", "page after confirm GET")


def requests(log: Path) -> list[dict]:
    """The four timed requests of one run (the log-in and the form come before them)."""
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    if len(lines) < len(STEPS):
        raise SystemExit(f"the server logged {len(lines)} requests")
    return lines[-len(STEPS) :]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--database-url", default=run.DEFAULT_PG)
    parser.add_argument("--cprofile", action="store_true")
    parser.add_argument("--updates", choices=datagen.PLANNER_UPDATES, help="the planner's file")
    args = parser.parse_args(argv)
    path = datagen.write_file(run.DATA / "rows-100k.csv", 100_000)
    template, existing = "seed", datagen.EXISTING
    if args.updates:
        size = f"100k-{args.updates}"
        existing = run.EXISTING.get(size, datagen.EXISTING)
        path = datagen.write_planner_file(
            run.DATA / f"planner-{size}.csv", 100_000, args.updates, existing
        )
        template = "seed" if existing == datagen.EXISTING else "seed100k"
    folder = run.DATA / "profile"
    folder.mkdir(parents=True, exist_ok=True)
    for kind in args.databases.split(","):
        db = SqliteBench(run.DATA) if kind == "sqlite" else PostgresBench(args.database_url)
        print(f"\n== {db.version()}", flush=True)
        run.seeded(db, template, existing)
        seconds: dict[str, list[float]] = defaultdict(list)
        parts: list[dict[str, list[float]]] = [defaultdict(list) for _ in STEPS]
        sizes = []
        calls: dict[str, int] = {}
        for rep in range(args.repeat):
            with tempfile.TemporaryDirectory() as tmp:
                log = Path(tmp) / "requests.jsonl"
                extra = {"PROFILE_LOG": str(log)}
                if args.cprofile:
                    extra["PROFILE_CPROFILE"] = str(folder)
                measured = admin_http.measure(db.copy(template, "run"), path, APP, **extra)
                found = requests(log)
            print(
                f"  rep {rep + 1}: preview {measured['preview']['seconds']:.2f} s,"
                f" confirm {measured['confirm']['seconds']:.2f} s",
                flush=True,
            )
            sizes.append(measured["preview"]["page_bytes"])
            for step, request, into in zip(STEPS, found, parts, strict=True):
                seconds[step].append(request["seconds"])
                for name, (spent, count) in request["parts"].items():
                    into[name].append(spent)
                    calls[name] = count
        db.drop("run")
        print(f"  preview page: {max(sizes) / 1024:.0f} KB")
        for step, into in zip(STEPS, parts, strict=True):
            print(f"  {step}: {statistics.median(seconds[step]):.3f} s (server side)")
            for name, values in into.items():
                print(f"    {statistics.median(values):8.3f} s  {calls[name]:>7} x  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
