"""A terminal progress bar for the command: rows done, rows per second, time left.

Silent when the stream is not a terminal (cron, pipelines) or with ``--json``.
"""

import time
from typing import TextIO


class ProgressBar:
    WIDTH = 30
    INTERVAL = 0.2

    def __init__(self, stream: TextIO, label: str) -> None:
        self.stream = stream
        self.label = label
        self.started = time.monotonic()
        self.shown_at = 0.0
        self.drawn = False

    @classmethod
    def for_stream(cls, stream: TextIO, label: str) -> "ProgressBar | None":
        return cls(stream, label) if getattr(stream, "isatty", lambda: False)() else None

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.shown_at < self.INTERVAL and done < total:
            return
        self.shown_at = now
        elapsed = max(now - self.started, 1e-6)
        rate = done / elapsed
        left = (total - done) / rate if rate else 0
        filled = int(self.WIDTH * done / total) if total else self.WIDTH
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(
            f"\r{self.label} [{bar}] {done}/{total} rows, {rate:,.0f} rows/s, {left:,.0f}s left"
        )
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
