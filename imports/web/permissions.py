"""Who may do what in the admin import flow: the rules of ``imports/jobs/permissions.py``,
which the HTTP API applies too."""

from imports.jobs.permissions import can_import, can_map, can_undo, can_view_jobs

__all__ = ["can_import", "can_map", "can_undo", "can_view_jobs"]
