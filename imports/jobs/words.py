"""The jobs' own texts in the active language (Django's gettext): the admin's request's
language, else ``LANGUAGE_CODE`` (the command line, a worker).

A text of the jobs is a ``Message`` whose English words are marked with ``gettext_noop`` where
it is defined (so that ``makemessages`` finds it) and said with ``said`` where it is made; its
code is the same in every language, for programs."""

from django.utils.translation import gettext

from imports.parsing.messages import Message


def said(message: Message) -> Message:
    """``message`` in the active language (its translation, else itself), its code kept."""
    return Message(message.code, gettext(message))
