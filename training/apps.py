from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = pgettext_lazy("application", "Training")
