"""The project's date-time formats (Django's ``FORMAT_MODULE_PATH``), one per language: every
admin page shows a date-time one way (issue 28), Django's own (the lists, the history) as ours
(``imports/web/shown_times.py``, the rows' values, the messages' moments). Each writes the
day and the month in the order its language reads them (``imports.conf.language_date_order``,
checked by ``tests/config/test_formats.py``), with a 24-hour clock, as the calendar's times.
Other formats are Django's own for the language."""
