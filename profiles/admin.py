from django.contrib import admin
from django.contrib.auth import get_user_model
from django.template.defaultfilters import truncatechars
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from users.admin import UserAdmin as BaseUserAdmin

from . import services
from .models import Interaction, ProfileRevision

User = get_user_model()
RECENT = 10


class ReadOnlyAdmin(admin.ModelAdmin):
    """History is written by the services, never edited by hand."""

    list_select_related = ("user",)
    search_fields = ("user__username",)
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Interaction)
class InteractionAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "message_start", "response_start")
    date_hierarchy = "created_at"

    @admin.display(description=_("user message"))
    def message_start(self, obj):
        return truncatechars(obj.user_message, 80)

    @admin.display(description=_("assistant response"))
    def response_start(self, obj):
        return truncatechars(obj.assistant_response, 80)


@admin.register(ProfileRevision)
class ProfileRevisionAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "source", "profiler", "text_start")
    list_filter = ("source", "profiler")

    @admin.display(description=_("profile"))
    def text_start(self, obj):
        return truncatechars(obj.text, 100) or "(empty)"

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """The user admin with profile history; profile edits go through the services."""

    readonly_fields = ("profile_history",)
    fieldsets = (
        *BaseUserAdmin.fieldsets[:-1],
        (_("Dynamic profile"), {"fields": ("user_profile", "profile_history")}),
    )

    @admin.display(description=_("history"))
    def profile_history(self, obj):
        if not obj.pk:
            return "-"
        return render_to_string(
            "admin/profiles/profile_history.html",
            {
                "revisions": obj.profile_revisions.order_by("-created_at", "-id")[:RECENT],
                "interactions": obj.interactions.order_by("-created_at", "-id")[:RECENT],
                "revisions_url": reverse("admin:profiles_profilerevision_changelist")
                + f"?user__id__exact={obj.pk}",
                "interactions_url": reverse("admin:profiles_interaction_changelist")
                + f"?user__id__exact={obj.pk}",
            },
        )

    def save_model(self, request, obj, form, change):
        if change and "user_profile" in form.changed_data:
            # Saved through the service so the change gets a revision (source "admin").
            text = form.cleaned_data["user_profile"] or ""
            obj.user_profile = User.objects.values_list("user_profile", flat=True).get(pk=obj.pk)
            super().save_model(request, obj, form, change)
            services.update_profile(user=obj, text=text, source=ProfileRevision.Source.ADMIN)
        else:
            super().save_model(request, obj, form, change)
