from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Intervention, Room, Session, Teacher, Training


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["guid", "path_code", "title"]
    search_fields = ["guid", "path_code", "title"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["guid", "title", "training"]
    list_filter = ["training"]
    search_fields = ["guid", "title", "training__guid", "training__title"]
    list_select_related = ["training"]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["guid", "label", "capacity"]
    search_fields = ["guid", "label"]


@admin.register(Teacher)
class TeacherAdmin(admin.ModelAdmin):
    list_display = ["login", "first_name", "last_name", "email"]
    search_fields = ["login", "first_name", "last_name", "email"]


@admin.register(Intervention)
class InterventionAdmin(admin.ModelAdmin):
    list_display = ["guid", "start", "duration", "session", "room", "teacher", "status"]
    list_filter = ["status", "start", "room", "session__training"]
    search_fields = ["guid", "session__title", "session__guid", "room__label", "teacher__login"]
    date_hierarchy = "start"
    list_select_related = ["session__training", "room", "teacher"]
    readonly_fields = ["created_at", "updated_at"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """A session is shown with its training (``Session.__str__``): read with it."""
        if db_field.name == "session":
            kwargs["queryset"] = Session.objects.select_related("training")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("duration"), ordering="duration_minutes")
    def duration(self, intervention: Intervention) -> str:
        """Hours and minutes (``1:30``); the field holds minutes."""
        hours, minutes = divmod(intervention.duration_minutes, 60)
        return f"{hours}:{minutes:02d}"
