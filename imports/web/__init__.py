"""The admin door: every admin page, view, form and section of the app (``imports/admin.py``
registers them). A door only translates HTTP and back; what runs where, the four-eyes rule,
the acknowledgement of conflicts and every status change are the job service's
(``imports/jobs/service.py``).
"""
