"""The calendar's blocks as HTML. A busy week holds thousands of blocks (a 10,000-row file
may put half its rows in one week): the template language took about half a millisecond a
block, so the day columns are written here, with the same escaping (every text of a block
goes through ``html.escape``; repeated texts, the titles, logins and rooms, once each). The
rest of the page is the template's (``admin/imports/calendar.html``)."""

from html import escape
from urllib.parse import quote

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .calendar_grid import DayColumn, Grid, Placed


class BlockWriter:
    """Writes the day columns of one page; ``teacher_prefix`` and ``room_prefix`` are the
    links that follow a block's teacher and room (the login or GUID is appended)."""

    def __init__(self, teacher_prefix: str, room_prefix: str) -> None:
        self.teacher_prefix = escape(teacher_prefix)
        self.room_prefix = escape(room_prefix)
        self.old_place = _("old place of %(guid)s")
        self.line = _("line %(line)s")
        self._escaped: dict[str, str] = {}

    def text(self, value: str) -> str:
        escaped = self._escaped.get(value)
        if escaped is None:
            escaped = self._escaped[value] = escape(value)
        return escaped

    def write(self, grid: Grid) -> None:
        """Each column's ``html``."""
        for column in grid.columns:
            column.html = self.column(column)

    def column(self, column: DayColumn) -> SafeString:
        return mark_safe("".join([self.placed(placed) for placed in column.placed]))  # noqa: S308

    def placed(self, placed: Placed) -> str:
        block, text = placed.block, self.text
        guid = text(block.guid)
        if placed.ghost:
            return (
                f'\n<div class="calendar-block calendar-old" data-was="{guid}" '
                f'style="{placed.style}"><span class="calendar-time">{placed.time_text}</span> '
                f'<span class="calendar-title">{text(block.title)}</span> '
                f'<span class="calendar-state">{text(self.old_place % {"guid": block.guid})}'
                "</span></div>"
            )
        classes = "calendar-block"
        classes += " calendar-cancelled" if block.cancelled else ""
        classes += " calendar-in-conflict" if block.conflict else ""
        conflict = f' data-conflict="{block.conflict}"' if block.conflict else ""
        more = "&hellip;" if placed.continues else ""
        line = f" &middot; {text(self.line % {'line': block.line})}" if block.line else ""
        parts = [
            f'\n<div class="{classes}" data-guid="{guid}" data-state="{block.state}"{conflict} '
            f'style="{placed.style}" tabindex="0">'
            f'<span class="calendar-time">{placed.time_text}{more}</span> '
            f'<strong class="calendar-title">{text(block.title)}</strong> '
            f'<span class="calendar-who"><a href="{self.teacher_prefix}'
            f'{text(quote(block.teacher, safe=""))}" class="calendar-teacher">'
            f"{text(block.teacher)}</a> &middot; "
            f'<a href="{self.room_prefix}{text(quote(block.room, safe=""))}" '
            f'class="calendar-room">{text(block.room_label)}</a></span> '
            f'<span class="calendar-guid">{guid}{line}</span> '
            f'<span class="calendar-state">{text(block.words)}</span>'
        ]
        parts += [f' <span class="calendar-change">{text(c)}</span>' for c in block.changes]
        parts += [f' <span class="calendar-conflict">{text(c)}</span>' for c in block.conflicts]
        parts.append("</div>")
        return "".join(parts)
