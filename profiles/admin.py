"""The admin of interactions, revisions and users.

The one UserAdmin lives here, not in `users`: its profile parts (history, refresh, edits saved
as revisions, erasure) are this app's services, and `users` imports no app of ours.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Left, Length
from django.template.defaultfilters import truncatechars
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .forms import TextField
from .models import Interaction, ProfileRevision

User = get_user_model()
RECENT = 10
PREVIEW = 80  # characters of a turn in the list of interactions
NO_PROFILE = Q(user_profile__isnull=True) | Q(user_profile="")


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

    def get_queryset(self, request):
        # The list shows the start of each text: read that much, not 100 turns of up to
        # 2 x 200,000 characters each.
        return (
            super()
            .get_queryset(request)
            .defer("user_message", "assistant_response")
            .annotate(
                message_head=Left("user_message", PREVIEW + 1),
                response_head=Left("assistant_response", PREVIEW + 1),
            )
        )

    @admin.display(description=_("user message"))
    def message_start(self, obj):
        return truncatechars(obj.message_head, PREVIEW)

    @admin.display(description=_("assistant response"))
    def response_start(self, obj):
        return truncatechars(obj.response_head, PREVIEW)


@admin.register(ProfileRevision)
class ProfileRevisionAdmin(ReadOnlyAdmin):
    # Who wrote it in one column, so the profile text gets the width it needs to be read.
    list_display = ("created_at", "user", "author", "text_start")
    list_filter = ("source", "profiler")

    @admin.display(description=_("author"), ordering="source")
    def author(self, obj):
        return obj.author

    @admin.display(description=_("profile"))
    def text_start(self, obj):
        return truncatechars(obj.text, 300) or _("(empty)")

    def has_delete_permission(self, request, obj=None):
        return False


class HasProfileFilter(admin.SimpleListFilter):
    title = _("has profile")
    parameter_name = "has_profile"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(NO_PROFILE)
        if self.value() == "no":
            return queryset.filter(NO_PROFILE)
        return queryset


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin with the profile, its history and actions; edits go through the
    services so they get a revision."""

    # What staff come for fits at 1280 px beside the filters; joining dates and staff status
    # are on each user's page and in the filters.
    list_display = ("username", "email", "profile_length", "profile_updated_at")
    list_filter = (HasProfileFilter, *DjangoUserAdmin.list_filter)
    formfield_overrides = {models.TextField: {"form_class": TextField}}
    search_fields = (*DjangoUserAdmin.search_fields, "user_profile")
    readonly_fields = ("profile_history",)
    # The profile first, right after the name: it is what staff come for, not the permissions.
    fieldsets = (
        DjangoUserAdmin.fieldsets[0],
        (_("Dynamic profile"), {"fields": ("user_profile", "profile_history")}),
        *DjangoUserAdmin.fieldsets[1:],
    )
    actions = ["refresh_profiles", "clear_profiles"]
    # The exact total is a second COUNT(*) over the whole table on every search or filter.
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(profile_chars=Length("user_profile"))

    @admin.display(description=_("profile length"), ordering="profile_chars")
    def profile_length(self, obj):
        return obj.profile_chars or 0

    @admin.action(description=_("Refresh profile now"), permissions=["change"])
    def refresh_profiles(self, request, queryset):
        user_ids = list(queryset.values_list("pk", flat=True))
        for user_id in user_ids:
            services.request_refresh(user_id=user_id)
        count = len(user_ids)
        self.message_user(
            request,
            ngettext(
                "Profile refresh started for %(count)d user.",
                "Profile refresh started for %(count)d users.",
                count,
            )
            % {"count": count},
        )

    @admin.action(description=_("Clear profile"), permissions=["change"])
    def clear_profiles(self, request, queryset):
        cleared = sum(
            services.clear_profile(user=user, source=ProfileRevision.Source.ADMIN) is not None
            for user in queryset.only("pk", "user_profile")
        )
        self.message_user(
            request,
            ngettext("Cleared %(count)d profile.", "Cleared %(count)d profiles.", cleared)
            % {"count": cleared},
        )

    @admin.display(description=_("history"))
    def profile_history(self, obj):
        if not obj.pk:
            return "-"
        return render_to_string(
            "admin/profiles/profile_history.html",
            {
                "revisions": obj.profile_revisions.all()[:RECENT],
                "interactions": obj.interactions.all()[:RECENT],
                "revisions_url": reverse("admin:profiles_profilerevision_changelist")
                + f"?user__id__exact={obj.pk}",
                "interactions_url": reverse("admin:profiles_interaction_changelist")
                + f"?user__id__exact={obj.pk}",
            },
        )

    # Deleting goes through the erasure service, so a deletion wins against turns arriving
    # for the person and takes their queued refreshes too.
    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # No one deletes a revision by hand, but erasing a person takes theirs along.
        perms_needed.discard(ProfileRevision._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        services.erase_user(user_id=obj.pk)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for user_id in queryset.values_list("pk", flat=True):
            services.erase_user(user_id=user_id)

    def save_model(self, request, obj, form, change):
        if change and "user_profile" in form.changed_data:
            # Saved through the service so the change gets a revision (source "admin"):
            # keep the stored text for the plain save, then let the service replace it.
            text = form.cleaned_data["user_profile"] or ""
            obj.user_profile = User.objects.values_list("user_profile", flat=True).get(pk=obj.pk)
            super().save_model(request, obj, form, change)
            services.update_profile(user=obj, text=text, source=ProfileRevision.Source.ADMIN)
        else:
            super().save_model(request, obj, form, change)
