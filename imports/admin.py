"""Django's place for the app's admin: it registers the pages, which live in ``web/``.

The Intervention admin of the training app is replaced by one with the import flow
(``web/model_admins.py``, its views and sections in ``web/``); saved configurations and the
import history are registered beside it.
"""

from django.contrib import admin

from imports.jobs.models import ImportConfiguration, ImportJob
from imports.web.model_admins import (
    ImportConfigurationAdmin,
    ImportJobAdmin,
    InterventionImportAdmin,
)
from training.models import Intervention

admin.site.unregister(Intervention)
admin.site.register(Intervention, InterventionImportAdmin)
admin.site.register(ImportConfiguration, ImportConfigurationAdmin)
admin.site.register(ImportJob, ImportJobAdmin)
