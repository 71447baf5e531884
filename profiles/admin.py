from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models.functions import Length
from django.template.defaultfilters import truncatechars
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from users.admin import UserAdmin as BaseUserAdmin

from . import selectors, services
from .models import ApiToken, Interaction, ProfileRevision
from .tasks import enqueue_refresh

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

    list_display = (*BaseUserAdmin.list_display, "profile_length", "profile_updated")
    readonly_fields = ("profile_history",)
    fieldsets = (
        *BaseUserAdmin.fieldsets[:-1],
        (_("Dynamic profile"), {"fields": ("user_profile", "profile_history")}),
    )
    actions = ["refresh_profiles", "clear_profiles"]
    # The exact total is a second COUNT(*) over the whole table on every search or filter.
    show_full_result_count = False

    def get_queryset(self, request):
        users = super().get_queryset(request).annotate(profile_chars=Length("user_profile"))
        return selectors.with_profile_updated_at(users)

    @admin.display(description=_("profile length"), ordering="profile_chars")
    def profile_length(self, obj):
        return obj.profile_chars or 0

    @admin.display(description=_("profile updated"), ordering="profile_updated_at")
    def profile_updated(self, obj):
        return obj.profile_updated_at

    @admin.action(description=_("Refresh profile now"))
    def refresh_profiles(self, request, queryset):
        user_ids = list(queryset.values_list("pk", flat=True))
        for user_id in user_ids:
            enqueue_refresh(user_id)
        self.message_user(request, f"Profile refresh started for {len(user_ids)} user(s).")

    @admin.action(description=_("Clear profile"))
    def clear_profiles(self, request, queryset):
        cleared = sum(
            services.clear_profile(user=user, actor=ProfileRevision.Source.ADMIN) is not None
            for user in queryset.only("pk", "user_profile")
        )
        self.message_user(request, f"Cleared {cleared} profile(s).")

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
            # Saved through the service so the change gets a revision (source "admin"):
            # keep the stored text for the plain save, then let the service replace it.
            text = form.cleaned_data["user_profile"] or ""
            obj.user_profile = User.objects.values_list("user_profile", flat=True).get(pk=obj.pk)
            super().save_model(request, obj, form, change)
            services.update_profile(user=obj, text=text, source=ProfileRevision.Source.ADMIN)
        else:
            super().save_model(request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Create shows the token once; tokens are revoked, never edited."""

    list_display = ("name", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("name", "prefix")
    fields = ("name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "name") if obj else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return obj is None or super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        token, obj.raw_token = services.create_api_token(name=obj.name)
        for field in ApiToken._meta.concrete_fields:
            setattr(obj, field.attname, getattr(token, field.attname))

    def response_add(self, request, obj, post_url_continue=None):
        # The token is in this response only: not in a message (a cookie), not in the database.
        return TemplateResponse(
            request,
            "admin/profiles/apitoken_created.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "token": obj,
                "raw_token": obj.raw_token,
                "title": _("API token created"),
            },
        )

    @admin.action(description=_("Revoke selected tokens"))
    def revoke(self, request, queryset):
        active = list(queryset.filter(revoked_at=None))
        for token in active:
            services.revoke_api_token(token=token)
        self.message_user(request, f"Revoked {len(active)} token(s).", messages.SUCCESS)
