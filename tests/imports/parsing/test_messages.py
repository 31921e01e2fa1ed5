"""Every message has a stable code, codes are unique, and the docs list every code."""

import re
from pathlib import Path

from imports import jobs
from imports.batch import consolidators, pipeline
from imports.database import db_errors
from imports.jobs import background, runs, service, verdicts
from imports.jobs import fixes as fix_jobs
from imports.jobs import mapping as mapping_jobs
from imports.jobs import states as job_states
from imports.jobs import undo as undo_jobs
from imports.parsing import messages
from imports.parsing.messages import Message, code_of
from imports.parsing.results import RowError

DOCS = Path(__file__).resolve().parents[3] / "docs" / "configuration.md"
MODULES = (messages, jobs, background, runs, job_states, service, verdicts, db_errors)
MODULES += (pipeline, consolidators, undo_jobs, mapping_jobs, fix_jobs)


def all_messages() -> list[Message]:
    """Every module-level Message, once (a module that imports one does not define it)."""
    found = {
        id(value): value
        for module in MODULES
        for value in vars(module).values()
        if isinstance(value, Message)
    }
    return list(found.values())


def test_codes_are_unique_snake_case_and_documented():
    codes = [message.code for message in all_messages()]
    assert len(codes) == len(set(codes)) > 30
    assert [code for code in codes if not re.fullmatch("[a-z][a-z0-9_]*", code)] == []
    docs = DOCS.read_text()
    assert [code for code in codes if f"`{code}`" not in docs] == []


def test_formatting_keeps_the_code_and_a_row_error_stores_plain_text():
    text = messages.TEACHER_NOT_FOUND.format(value="ghost")
    assert (text, code_of(text)) == ("Teacher with login ghost is not found.", "teacher_not_found")
    error = RowError(3, text, "teacherLogin", "ghost")
    assert error.code == "teacher_not_found"
    assert type(error.message) is str
    assert code_of("any text") == ""


def test_engine_messages_name_no_door_control():
    assert [m for m in all_messages() if "--" in m or "button" in m.lower()] == []


def test_every_text_constant_of_the_engine_and_the_pipeline_is_a_message_or_names_no_flag():
    """A plain string constant (a message without a code) naming a flag is caught too."""
    texts = [
        value
        for module in MODULES
        for name, value in vars(module).items()
        if isinstance(value, str) and not name.startswith("__")
    ]
    assert [text for text in texts if "--" in text] == []
    assert pipeline.ALREADY_IMPORTED.code == "already_imported"
