"""The admin's permissions as DRF permission classes (``imports/jobs/permissions.py``):
importing needs the add and change permissions on interventions, reading a job the view
permission on import jobs (or importing), undoing change and delete, reading interventions
their view permission. Without credentials every one is ``401``."""

from typing import Any

from rest_framework.permissions import BasePermission

from imports.jobs.permissions import can_import, can_undo, can_view_interventions, can_view_jobs


class _Needs(BasePermission):
    message = ""

    def allowed(self, user: Any) -> bool:
        raise NotImplementedError

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and self.allowed(user))


class CanImport(_Needs):
    message = "importing needs the add and change permissions on interventions"

    def allowed(self, user: Any) -> bool:
        return can_import(user)


class CanReadJobs(_Needs):
    message = "reading an import needs the view permission on import jobs, or importing"

    def allowed(self, user: Any) -> bool:
        return can_import(user) or can_view_jobs(user)


class CanUndo(_Needs):
    message = "undoing an import needs the change and delete permissions on interventions"

    def allowed(self, user: Any) -> bool:
        return can_undo(user)


class CanReadInterventions(_Needs):
    message = "reading interventions needs the view permission on interventions"

    def allowed(self, user: Any) -> bool:
        return can_view_interventions(user)


class Authenticated(_Needs):
    def allowed(self, user: Any) -> bool:
        return user.is_active
