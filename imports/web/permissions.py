"""Who may do what in the admin import flow."""

from imports.jobs.models import ImportJob
from training.models import Intervention


def _perm(model, action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def can_import(user) -> bool:
    """Importing creates and changes interventions: it needs both permissions."""
    return user.is_active and user.has_perms(
        [_perm(Intervention, "add"), _perm(Intervention, "change")]
    )


def can_view_jobs(user) -> bool:
    return user.is_active and (
        user.has_perm(_perm(ImportJob, "view")) or user.has_perm(_perm(ImportJob, "change"))
    )


def can_undo(user) -> bool:
    """Undoing an import deletes and changes interventions: it needs both permissions."""
    return user.is_active and user.has_perms(
        [_perm(Intervention, "change"), _perm(Intervention, "delete")]
    )


def can_map(user) -> bool:
    """The mapping step saves a configuration: importing and adding a configuration."""
    from imports.jobs.models import ImportConfiguration

    return can_import(user) and user.has_perm(_perm(ImportConfiguration, "add"))
