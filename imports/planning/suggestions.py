""" "Did you mean": for a key that is not found, the one existing value close to it.

A training GUID or path code, a session GUID or title (among the sessions of the row's own
training only), a teacher login or a status code that is not found gets a suggestion when
exactly one candidate is closest and close enough:

1. the same text ignoring case and accents (``J.Dupont`` → ``j.dupont``); else
2. the smallest edit distance (on the texts without case and accents), at most 1 for values
   of up to 4 characters, 2 up to 10 and 3 beyond.

The distance is RapidFuzz's ``OSA`` (optimal string alignment): Levenshtein's insertions,
deletions and substitutions, and a swap of two neighbouring characters as one edit too, the
commonest typo (``jdeo`` → ``jdoe``: 1, where Levenshtein counts 2 and, on 4 characters, gave
no suggestion). OSA rather than ``DamerauLevenshtein``: both count one swap as one edit, but OSA
never edits the swapped letters again (``ca`` → ``abc`` is 3 edits, not 2), which is no single
typo anyway, and RapidFuzz computes OSA with the same bit-parallel algorithm as Levenshtein
(as fast), unrestricted Damerau-Levenshtein with a slower one (about twice the time).

Two candidates equally close give no suggestion: never a guess. The seed's message stays word
for word; the suggestion is a separate field (``RowError.suggestion``). The candidates come
from ``candidates`` (``lookups.SuggestionCandidates`` reads each table once per run, and only
when one of its values was not found), so this module does no I/O.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Protocol

from rapidfuzz import process
from rapidfuzz.distance import OSA

from imports.parsing import messages
from imports.parsing.cells import ParsedRow, folded
from imports.parsing.config import ImportConfig
from imports.parsing.results import RowChange, RowError

from .references import References

# The codes of the messages that get a suggestion (``imports/parsing/messages.py``).
TRAINING_GUID = messages.TRAINING_GUID_NOT_FOUND.code
TRAINING_PATH = messages.TRAINING_PATH_CODE_NOT_FOUND.code
SESSION_GUID = messages.SESSION_GUID_NOT_FOUND.code
SESSION_TITLE = messages.SESSION_TITLE_NOT_FOUND.code
TEACHER = messages.TEACHER_NOT_FOUND.code
STATUS = messages.STATUS_NOT_VALID.code
SESSION_CODES = frozenset({SESSION_GUID, SESSION_TITLE})
SUGGESTED = frozenset({TRAINING_GUID, TRAINING_PATH, TEACHER, STATUS, *SESSION_CODES})
Changes = list[tuple[RowChange, list[RowError]]]


@dataclass(frozen=True)
class Pool:
    """Candidates, and their texts without case and accents (computed once)."""

    values: Sequence[str]
    keys: Sequence[str]

    @classmethod
    def of(cls, values: Sequence[str]) -> "Pool":
        return cls(values, [folded(value) for value in values])


class Candidates(Protocol):
    """Where the existing values are: a table's keys, or one training's sessions."""

    def of(self, code: str) -> Pool: ...

    def sessions(self, training_id: int, *, by_title: bool) -> Pool: ...


def allowed_distance(key: str) -> int:
    return 1 if len(key) <= 4 else 2 if len(key) <= 10 else 3


def closest(value: str, pool: Pool) -> str | None:
    """The one candidate closest to ``value`` by the rule above, or None."""
    key = folded(value)
    matches = process.extract(
        key, pool.keys, scorer=OSA.distance, score_cutoff=allowed_distance(key), limit=None
    )
    nearest: dict[str, int] = {}  # each candidate (values may repeat) at its distance
    for _, distance, index in matches:
        candidate = pool.values[index]
        if candidate != value:  # the value itself (another column's key, say) is no suggestion
            nearest[candidate] = min(distance, nearest.get(candidate, distance))
    ranked = sorted((distance, candidate) for candidate, distance in nearest.items())
    if not ranked or (len(ranked) > 1 and ranked[0][0] == ranked[1][0]):
        return None  # nothing close, or a tie: never a guess
    return ranked[0][1]


Suggest = Callable[[str, str, int | None], str | None]


def with_suggestions(
    changes: Changes,
    rows: dict[int, ParsedRow],
    *,
    refs: References,
    config: ImportConfig,
    candidates: Candidates,
) -> Changes:
    """``changes`` with a suggestion on each error whose value has one."""
    suggest = _memo(config=config, candidates=candidates)
    suggested = []
    for change, errors in changes:
        if any(error.code in SUGGESTED for error in errors):
            row = rows.get(change.line)
            errors = [_suggested(error, row, refs, suggest) for error in errors]
        suggested.append((change, errors))
    return suggested


def _suggested(
    error: RowError, row: ParsedRow | None, refs: References, suggest: Suggest
) -> RowError:
    if error.code not in SUGGESTED or not error.value:
        return error
    training_id = None
    if error.code in SESSION_CODES:
        training_id = refs.training_of(row) if row is not None else None
        if training_id is None:
            return error  # no training, no session to suggest
    suggestion = suggest(error.code, error.value, training_id)
    return replace(error, suggestion=suggestion) if suggestion else error


def _memo(*, config: ImportConfig, candidates: Candidates) -> Suggest:
    statuses = Pool.of(list(config.status_codes))

    @lru_cache(maxsize=4096)
    def suggest(code: str, value: str, training_id: int | None) -> str | None:
        if code == STATUS:
            return closest(value, statuses)
        if training_id is not None:
            return closest(value, candidates.sessions(training_id, by_title=code == SESSION_TITLE))
        return closest(value, candidates.of(code))

    return suggest
