"""A configuration problem carries a message, a hint, an id and its XML line (like Django's
system checks); ``ConfigError`` carries all of them at once."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ConfigProblem:
    """One problem of a configuration: a message, a hint, an id and the XML line."""

    line: int | None
    message: str
    hint: str = ""
    id: str = "imports.E001"

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        hint = f" HINT: {self.hint}" if self.hint else ""
        return f"{where}{self.message}{hint}"


class ConfigError(Exception):
    def __init__(self, source: str, problems: list[ConfigProblem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))

    def lines(self) -> list[str]:
        return [f"{self.source}: {problem}" for problem in self.problems]
