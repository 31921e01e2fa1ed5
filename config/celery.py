"""The Celery app: background imports on workers (``celery -A config worker``).

Its settings are Django's ``CELERY_*`` settings (config/settings.py). Without a broker
(``CELERY_BROKER_URL`` unset) nothing is sent to Celery: the admin runs imports in-process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
