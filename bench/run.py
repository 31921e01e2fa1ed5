"""The import benchmark (``make bench``): our engine against the stock django-import-export
resource and a minimal hand-written bulk upsert, on SQLite and PostgreSQL, in one run.

    .venv/bin/python bench/run.py [--repeat 3] [--million] [--databases sqlite,postgresql]
                                  [--database-url postgres://postgres@127.0.0.1:5432/intervention_bench]
                                  [--only "100k admin"]

Every measurement is a fresh process (``worker.py``) on a fresh copy of a seeded template
database; the variants of a case alternate, repetition after repetition; medians are reported.
Files and databases are deterministic (``datagen.py``); files are kept in ``bench/data/``.
The admin case (``admin_http.py``) runs the project's own server on its fresh copy and times
the upload -> preview page and the confirm over HTTP, beside the engine's runs of the same file.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import admin_http  # noqa: E402
import datagen  # noqa: E402
from databases import PostgresBench, SqliteBench  # noqa: E402
from workers import worker  # noqa: E402

DATA = HERE / "data"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/intervention_bench"
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1M": 1_000_000, "1M-mix": 1_000_000}
SPLIT = "-split"  # a variant on the same rows with the date, start time and end time apart
EXISTING = {"1M-mix": datagen.EXISTING_1M}  # files written against another seeded database


@dataclass(frozen=True)
class Case:
    name: str
    size: str
    # "seed": 50,000 interventions; "done": the 100k file already imported; "seed500k": 500,000
    template: str
    variants: tuple[str, ...]
    repeat: int | None = None  # None: --repeat
    # Frame every run by runs of the same variant on the 100k file, recorded as "<variant>
    # 100k beside": a growth ratio then compares runs minutes apart, not a quarter of an hour
    # (the shared machine's speed drifts by tens of per cent from one hour to the next).
    beside: bool = False


BESIDE = " 100k beside"
# The admin variant is one upload -> preview -> confirm; it is recorded as these two.
ADMIN = "admin"
ADMIN_PARTS = ("admin-preview", "admin-confirm")
PAGE_LIMIT_KB = 300


def cases(million: bool) -> list[Case]:
    found = [
        Case("1k", "1k", "seed", ("engine", "engine-dry", "hand", "stock", "stock-dry")),
        Case("10k", "10k", "seed", ("engine", "engine-dry", "hand", "stock")),
        Case(
            "100k",
            "100k",
            "seed",
            ("engine", "engine-dry", "hand", "engine-nocheck", "engine-nojournal", "writes-alone"),
        ),
        Case("100k unchanged", "100k", "done", ("engine", "engine-dry", "hand")),
        # 100,000 interventions of the imported database exported (CSV, XLSX, ODS), beside
        # the import of the 100k file
        Case("100k export", "100k", "done", ("export", "export-xlsx", "export-ods")),
        # The same 100,000 rows with the date, the start time and the end time in three columns
        # (no duration) beside the one date-time and duration of the 100k file (issue 27)
        Case("100k split", "100k", "seed", ("engine", "engine" + SPLIT)),
        # cancelMissing on beside off (issue 29): the same import, then the scope's active
        # interventions that the file does not name read and cancelled
        Case("100k cancel missing", "100k", "seed", ("engine", "engine-cancel")),
        # The admin flow over HTTP (a real server): upload -> preview page, then confirm,
        # beside the engine's dry run and real import of the same file and database
        # (engine-dry-keep: the dry run keeping every row's outcome, as the preview runs it)
        Case("100k admin", "100k", "seed", (ADMIN, "engine-dry", "engine-dry-keep", "engine")),
    ]
    if million:
        found.append(Case("1M", "1M", "seed", ("engine", "engine-dry", "hand"), repeat=1))
        found.append(
            Case("1M same mix", "1M-mix", "seed500k", ("engine", "hand"), repeat=2, beside=True)
        )
    return found


def seeded(db, name: str, existing: int) -> None:
    """A template database with the reference tables and ``existing`` interventions."""
    if db.kind == "sqlite":
        db.drop(name)
        url = db.url(name)
    else:
        url = db.create(name)
    print(f"  seeding {db.kind} {name}: {worker(url, 'seed', str(existing))}", flush=True)
    if db.kind != "sqlite":
        db.analyze(name)


def prepare(db, files: dict[str, Path], chosen: list[Case]) -> None:
    """The templates: ``seed`` (the seeded database), ``done`` (seed + the 100k file), and
    ``seed500k`` when the same-mix 1M case runs."""
    seeded(db, "seed", datagen.EXISTING)
    if any(case.template == "seed500k" for case in chosen):
        seeded(db, "seed500k", datagen.EXISTING_1M)
    if not any(case.template == "done" for case in chosen):
        return
    done = worker(db.copy("seed", "done"), "engine", str(files["100k"]))
    print(f"  template 'done' (100k imported once): {done['counts']}", flush=True)
    if db.kind != "sqlite":
        db.analyze("done")


def run_case(db, case: Case, files: dict[str, Path], repeat: int) -> dict[str, list[dict]]:
    labels = [part for v in case.variants for part in (ADMIN_PARTS if v == ADMIN else (v,))]
    runs: dict[str, list[dict]] = {label: [] for label in labels}
    for rep in range(case.repeat or repeat):
        shift = rep % len(case.variants)
        for variant in case.variants[shift:] + case.variants[:shift]:  # alternate the order
            if case.beside:
                measure(db, runs, variant + BESIDE, "seed", files["100k"], case.name, rep)
            measure(db, runs, variant, case.template, files[case.size], case.name, rep)
            if case.beside:
                measure(db, runs, variant + BESIDE, "seed", files["100k"], case.name, rep)
    db.drop("run")
    return runs


def measure(db, runs: dict, label: str, template: str, path: Path, case: str, rep: int) -> None:
    if label == ADMIN:
        measure_admin(db, runs, template, path, case, rep)
        return
    variant = label.removesuffix(BESIDE)
    if variant.endswith(SPLIT):  # the split file of the same rows, read by the same engine
        variant, path = variant.removesuffix(SPLIT), path.with_name(path.stem + SPLIT + ".csv")
    measured = worker(db.copy(template, "run"), variant, str(path))
    runs.setdefault(label, []).append(measured)
    print(f"  {case:>14} {label:<10} rep {rep + 1}: {measured['seconds']:8.2f} s", flush=True)


def measure_admin(db, runs: dict, template: str, path: Path, case: str, rep: int) -> None:
    measured = admin_http.measure(db.copy(template, "run"), path)
    preview, confirm = measured["preview"], measured["confirm"]
    runs["admin-preview"].append(preview)
    runs["admin-confirm"].append(confirm)
    print(
        f"  {case:>14} {'admin-preview':<10} rep {rep + 1}: {preview['seconds']:8.2f} s"
        f" (upload {preview['upload_s']:.2f} s + page {preview['page_s']:.2f} s,"
        f" {preview['page_bytes'] / 1024:.0f} KB)",
        flush=True,
    )
    print(
        f"  {case:>14} {'admin-confirm':<10} rep {rep + 1}: {confirm['seconds']:8.2f} s"
        f" (POST {confirm['post_s']:.2f} s + page after {confirm['page_s']:.2f} s)",
        flush=True,
    )


def summarise(case: Case, runs: dict[str, list[dict]]) -> list[dict]:
    summary = []
    for variant, measured in runs.items():
        rows = SIZES["100k"] if variant.endswith(BESIDE) else SIZES[case.size]
        seconds = statistics.median(m["seconds"] for m in measured)
        summary.append(
            {
                "case": case.name,
                "variant": variant,
                "rows": rows,
                "median_s": seconds,
                "all_s": [round(m["seconds"], 3) for m in measured],
                "rows_per_s": rows / seconds,
                "peak_mb": max(m["peak_mb"] for m in measured),
                "import_peak_mb": max(m["peak_mb"] - m["peak_before_mb"] for m in measured),
                # the admin case's server is another process: its statements are not counted
                "statements": measured[0].get("statements"),
                "counts": measured[0]["counts"],
                "page_kb": max(
                    (m["page_bytes"] / 1024 for m in measured if "page_bytes" in m), default=None
                ),
            }
        )
    return summary


def median_of(results: list[dict], case: str, variant: str) -> float | None:
    found = result_of(results, case, variant)
    return found["median_s"] if found else None


def result_of(results: list[dict], case: str, variant: str) -> dict | None:
    for r in results:
        if r["case"] == case and r["variant"] == variant:
            return r
    return None


def paired(results: list[dict], case: str, a: str, b: str, combine) -> float | None:
    """The median over the repetitions of ``combine(a's time, b's time)``: the variants of one
    repetition ran minutes apart, the repetitions further apart (the machine drifts)."""
    x, y = result_of(results, case, a), result_of(results, case, b)
    if x is None or y is None:
        return None
    return statistics.median(combine(p, q) for p, q in zip(x["all_s"], y["all_s"], strict=True))


def goals(results: list[dict]) -> list[tuple[str, float | None, str, bool | None]]:
    def ratio(a: tuple[str, str], b: tuple[str, str]) -> float | None:
        x, y = median_of(results, *a), median_of(results, *b)
        return x / y if x is not None and y else None

    def floor() -> float | None:
        """What the engine's import would take over its dry run with no Python of its own
        to write: the database's part alone (``baselines.writes_alone``)."""
        dry, writes = (
            median_of(results, "100k", "engine-dry"),
            median_of(results, "100k", "writes-alone"),
        )
        return (dry + writes) / dry if dry and writes is not None else None

    admin_page = result_of(results, "100k admin", "admin-preview")
    checks = [
        (
            "100k admin: preview (upload to page received) - engine dry run, s",
            paired(results, "100k admin", "admin-preview", "engine-dry", lambda p, q: p - q),
            "<= 1.0",
        ),
        (
            "100k admin: preview page size, KB",
            admin_page["page_kb"] if admin_page else None,
            f"< {PAGE_LIMIT_KB}",
        ),
        (
            "100k admin: confirm / engine import",
            paired(results, "100k admin", "admin-confirm", "engine", lambda p, q: p / q),
            "<= 1.2",
        ),
        ("100k: engine / hand-written", ratio(("100k", "engine"), ("100k", "hand")), "<= 1.5"),
        (
            "100k: engine dry run / hand-written",
            ratio(("100k", "engine-dry"), ("100k", "hand")),
            "<= 1.5",
        ),
        ("10k: stock resource / engine", ratio(("10k", "stock"), ("10k", "engine")), ">= 20"),
        (
            "100k: date + start time + end time / one date-time + duration (engine import)",
            paired(results, "100k split", "engine" + SPLIT, "engine", lambda p, q: p / q),
            "<= 1.2",
        ),
        (
            "100k: engine with cancelMissing / without (issue 29)",
            paired(results, "100k cancel missing", "engine-cancel", "engine", lambda p, q: p / q),
            "<= 1.15",
        ),
        (
            "100k: engine / engine without the conflict check",
            ratio(("100k", "engine"), ("100k", "engine-nocheck")),
            "<= 1.15",
        ),
        (
            "100k: engine import / its own dry run (issue 17: PostgreSQL's goal)",
            ratio(("100k", "engine"), ("100k", "engine-dry")),
            "<= 1.6",
        ),
        (
            "100k: (dry run + the writes alone) / dry run: the least engine import / dry run",
            floor(),
            "",
        ),
        (
            "100k: engine / engine without the undo journal",
            ratio(("100k", "engine"), ("100k", "engine-nojournal")),
            "<= 1.10",
        ),
        (
            "100k: CSV export / engine import",
            ratio(("100k export", "export"), ("100k", "engine")),
            "<= 1",
        ),
        (
            "100k: XLSX export / engine import",
            ratio(("100k export", "export-xlsx"), ("100k", "engine")),
            "<= 1",
        ),
        (
            "100k: ODS export / engine import",
            ratio(("100k export", "export-ods"), ("100k", "engine")),
            "<= 1",
        ),
        (
            "100k unchanged: engine / hand-written",
            ratio(("100k unchanged", "engine"), ("100k unchanged", "hand")),
            "<= 0.5",
        ),
        (
            "1M / 100k beside it, same mix (half updates): engine time",
            ratio(("1M same mix", "engine"), ("1M same mix", "engine" + BESIDE)),
            "<= 11",
        ),
        (
            "1M / 100k beside it, same mix: hand-written time",
            ratio(("1M same mix", "hand"), ("1M same mix", "hand" + BESIDE)),
            "",
        ),
        ("1M / 100k, 95 % new rows: engine time", ratio(("1M", "engine"), ("100k", "engine")), ""),
        (
            "1M / 100k, 95 % new rows: hand-written time",
            ratio(("1M", "hand"), ("100k", "hand")),
            "",
        ),
    ]
    out = []
    for name, value, target in checks:
        if value is None or not target:  # no target: reported for comparison
            out.append((name, value, target or "-", None))
            continue
        op, bound = target.split()
        met = {
            "<=": value <= float(bound),
            "<": value < float(bound),
            ">=": value >= float(bound),
        }[op]
        out.append((name, value, target, met))
    return out


def report(kind: str, version: str, results: list[dict]) -> str:
    lines = [
        f"### {version}",
        "",
        "| case | variant | median s | all s | rows/s | peak RSS MB | import peak MB"
        " | SQL statements | page KB |",
        "| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        statements = "-" if r["statements"] is None else f"{r['statements']:,}"
        page = "" if r.get("page_kb") is None else f"{r['page_kb']:.0f}"
        every = ", ".join(f"{s:.2f}" for s in r["all_s"])
        lines.append(
            f"| {r['case']} | {r['variant']} | {r['median_s']:.2f} | {every} |"
            f" {r['rows_per_s']:,.0f} | {r['peak_mb']:.0f} | {r['import_peak_mb']:.0f} |"
            f" {statements} | {page} |"
        )
    lines += ["", "| goal | measured | target | met |", "| --- | ---: | --- | --- |"]
    for name, value, target, met in goals(results):
        shown = "n/a" if value is None else f"{value:.2f}"
        lines.append(
            f"| {name} | {shown} | {target} | {'-' if met is None else 'yes' if met else 'NO'} |"
        )
    return "\n".join(lines)


def machine() -> dict[str, str]:
    cpu = next(
        (
            entry.split(":", 1)[1].strip()
            for entry in Path("/proc/cpuinfo").read_text().splitlines()
            if entry.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = next(
        int(entry.split()[1])
        for entry in Path("/proc/meminfo").read_text().splitlines()
        if entry.startswith("MemTotal")
    )
    import django

    return {
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "ram": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "python": platform.python_version(),
        "django": django.get_version(),
    }


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3, help="repetitions per variant (default 3)")
    parser.add_argument("--million", action="store_true", help="add the 1,000,000-row case")
    parser.add_argument("--databases", default="sqlite,postgresql", help="sqlite,postgresql")
    parser.add_argument("--database-url", default=DEFAULT_PG, help="PostgreSQL base URL")
    parser.add_argument(
        "--only", help='comma-separated case names or sizes to run (e.g. 100k,1M or "100k admin")'
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    chosen = cases(args.million)
    if args.only:
        wanted = {name.strip() for name in args.only.split(",")}
        chosen = [c for c in chosen if c.name in wanted or c.size in wanted]
        if not chosen:
            raise SystemExit(f"no case named {args.only}: {[c.name for c in cases(True)]}")
    files = {
        size: datagen.write_file(DATA / f"rows-{size}.csv", n, EXISTING.get(size, datagen.EXISTING))
        for size, n in SIZES.items()
        if not size.startswith("1M") or args.million
    }
    datagen.write_file(DATA / f"rows-100k{SPLIT}.csv", SIZES["100k"], split=True)
    info = machine()
    print("Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()), flush=True)
    output = {"machine": info, "databases": {}}
    texts = []
    for kind in args.databases.split(","):
        db = SqliteBench(DATA) if kind == "sqlite" else PostgresBench(args.database_url)
        version = db.version()
        print(f"\n== {version}", flush=True)
        prepare(db, files, chosen)
        results = []
        for case in chosen:
            results += summarise(case, run_case(db, case, files, args.repeat))
        output["databases"][version] = results
        texts.append(report(kind, version, results))
        print("\n" + texts[-1], flush=True)
    output["minutes"] = (time.monotonic() - started) / 60
    (DATA / "results.json").write_text(json.dumps(output, indent=2))
    (DATA / "results.md").write_text("\n\n".join(texts) + "\n")
    print(f"\nDone in {output['minutes']:.1f} min; results in {DATA}/results.md and results.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
