"""Who may do what with imports: the admin's rules, which every door that serves people (the
admin, the HTTP API) applies the same way. Permissions are Django's, on interventions and jobs."""

from training.models import Intervention

from .models import ImportConfiguration, ImportJob


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
    return can_import(user) and user.has_perm(_perm(ImportConfiguration, "add"))


def can_view_interventions(user) -> bool:
    """Reading interventions (the export, the API's list) needs the view permission."""
    return user.is_active and (
        user.has_perm(_perm(Intervention, "view")) or user.has_perm(_perm(Intervention, "change"))
    )
