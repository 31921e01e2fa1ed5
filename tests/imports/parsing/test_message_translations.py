"""Every message of the engine says itself in French from its code and parameters; its English
text stays the seed's word for word (docs/configuration.md, "Messages")."""

import gettext as gnu_gettext
import re
import shutil
import string
import subprocess
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext

from imports.parsing import messages
from imports.parsing.columns import column_map
from imports.parsing.config import HEADER_CONFIG
from imports.parsing.messages import Message, joined, render, storable_parts, stored_parts
from imports.parsing.readers import FileProblem
from imports.parsing.results import RowError
from tests.conftest import HEADER

LOCALE = Path(messages.__file__).resolve().parents[1] / "locale" / "fr" / "LC_MESSAGES"
MESSAGES = [value for value in vars(messages).values() if isinstance(value, Message)]


def fields(template: str) -> list[tuple[str, str]]:
    """A template's placeholders with their format specs, in order of first use, once."""
    found = [(name, spec) for _, name, spec, _ in string.Formatter().parse(template) if name]
    return sorted(set(found))


def sample(template: str) -> dict[str, object]:
    return {name: 10 if "X" in spec else f"<{name}>" for name, spec in fields(template)}


def test_there_are_messages_to_check():
    assert len(MESSAGES) > 80
    assert all(message.code in messages.TEMPLATES for message in MESSAGES)


@pytest.mark.parametrize("message", MESSAGES, ids=lambda message: message.code)
def test_every_message_has_a_french_translation_with_the_same_placeholders(message):
    template = messages.TEMPLATES[message.code]
    assert template == str(message)
    with translation.override("fr"):
        french = gettext(template)
    assert french != template, f"{message.code} is not translated"
    assert fields(french) == fields(template)
    params = sample(template)
    with translation.override("fr"):
        assert message.format(**params).translated() == french.format(**params)
    # In English, the message renders as the engine wrote it, word for word.
    assert message.format(**params).translated() == template.format(**params)


def test_the_catalogue_has_no_fuzzy_and_no_untranslated_entry():
    po = (LOCALE / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in po
    entries = po.split("\n\n")[1:]
    empty = [entry for entry in entries if re.search(r'msgstr ""\Z', entry.strip())]
    assert empty == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_the_compiled_catalogue_is_the_po_file(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check", "-o", str(compiled), str(LOCALE / "django.po")], check=True
    )
    with compiled.open("rb") as fresh, (LOCALE / "django.mo").open("rb") as committed:
        assert gnu_gettext.GNUTranslations(committed)._catalog == (
            gnu_gettext.GNUTranslations(fresh)._catalog
        )


def test_a_formatted_message_keeps_its_code_and_parameters():
    message = messages.TEACHER_NOT_FOUND.format(value="jdoe")
    assert (message.code, message.params) == ("teacher_not_found", {"value": "jdoe"})
    assert message.parts == (("teacher_not_found", {"value": "jdoe"}),)
    error = RowError(4, message, "teacherLogin", "jdoe")
    assert error.message == "Teacher with login jdoe is not found."
    assert error.parts == message.parts
    assert "parts" not in error.as_dict() and "params" not in error.as_dict()
    with translation.override("fr"):
        assert error.translated() == "Le formateur dont l'identifiant est jdoe est introuvable."
    assert error.translated() == error.message


def test_a_message_made_of_several_is_rendered_part_by_part():
    header = [name for name in HEADER if name != "teacherLogin"] + ["teacher_logn"]
    with pytest.raises(FileProblem) as caught:
        column_map(HEADER_CONFIG, header, 1)
    problem = caught.value
    assert problem.code == "header_missing_column"
    codes = [code for code, _ in problem.parts]
    assert codes == ["header_missing_column", "header_cells_read", "header_probably_meant"]
    assert render(problem.parts, "") == problem.message  # English: word for word
    with translation.override("fr"):
        french = render(problem.parts, problem.message)
    assert french.startswith(
        "La colonne teacherLogin manque dans la ligne d'en-tête."
        " La ligne d'en-tête contenait\u00a0:"
    )
    assert french.endswith('Vous vouliez probablement dire "teacher_logn".')


def test_joined_messages_and_a_text_that_is_not_a_message():
    said = joined(messages.DUPLICATE_GUID.format(value="G", lines="2, 3"), messages.FILE_EMPTY)
    assert said.code == "duplicate_guid"
    assert (
        said
        == "Intervention with guid G appears on several lines (2, 3). The file has no data rows."
    )
    with translation.override("fr"):
        assert said.translated() == (
            "L'intervention dont le GUID est G figure sur plusieurs lignes (2, 3)."
            " Le fichier n'a aucune ligne de données."
        )
        assert joined(said, "plain text").translated() == f"{said} plain text"  # parts unknown
        assert messages.translated("plain text") == "plain text"


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ([], "stored"),  # an error stored before its parameters were
        ([("no_such_code", {})], "stored"),
        ([("teacher_not_found", {})], "stored"),  # a parameter missing
        ([("teacher_not_found", {"value": "x"})], "Teacher with login x is not found."),
    ],
)
def test_render_falls_back_to_the_stored_text(parts, expected):
    assert render(parts, "stored") == expected


def test_parts_as_a_job_stores_them_and_reads_them_back():
    simple = messages.FILE_NOT_DECODABLE.format(encoding="UTF-8", byte=0xE9)
    stored = storable_parts(simple.parts, simple.code)
    assert stored == {"encoding": "UTF-8", "byte": 0xE9}
    assert render(stored_parts(stored, simple.code), "") == simple
    folder = messages.FILE_NOT_READABLE.format(format="xlsx", reason=Path("a/b"))
    assert storable_parts(folder.parts, folder.code) == {"format": "xlsx", "reason": "a/b"}
    both = joined(messages.FILE_EMPTY, messages.UNKNOWN_TIME_ZONE.format(value="Mars"))
    stored = storable_parts(both.parts, both.code)
    assert stored == [["file_empty", {}], ["unknown_time_zone", {"value": "Mars"}]]
    assert render(stored_parts(stored, both.code), "") == both
    # An error whose code is not its message's keeps the message's code in its parts.
    params = {"encoding": "UTF-8", "byte": 0xE9}
    assert storable_parts(simple.parts, "other") == [["file_not_decodable", params]]
    assert storable_parts((), "file_empty") is None
    assert stored_parts(None, "file_empty") == []
