from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import ApiToken, Client, Identity


class ReadOnly:
    """Written by the services, never edited by hand."""

    def has_add_permission(self, request, obj=None):  # inlines pass the parent object
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TokenInline(ReadOnly, admin.TabularInline):
    model = ApiToken
    fields = ("prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    extra = 0


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ("name", "created_at")
    search_fields = ("name",)
    inlines = [TokenInline]


class ApiTokenAddForm(forms.ModelForm):
    client_name = forms.CharField(
        label=_("Client"),
        max_length=Client._meta.get_field("name").max_length,
        help_text=_(
            "The bot's name. A token for an existing name is one more token of that "
            "client: it reaches the same people (rotate, then revoke the old one)."
        ),
    )

    class Meta:
        model = ApiToken
        fields = ()


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Create shows the token once; tokens are revoked, never edited."""

    list_display = ("client", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    list_select_related = ("client",)
    search_fields = ("client__name", "prefix")
    fields = ("client", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    actions = ["revoke"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return self.fields if obj else ("client_name",)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else ()

    def has_change_permission(self, request, obj=None):
        # Revoking (an action on the list) is the one change; a token's own page is read-only.
        return obj is None and super().has_change_permission(request)

    def save_model(self, request, obj, form, change):
        token, obj.raw_token = services.create_api_token(
            client_name=form.cleaned_data["client_name"].strip()
        )
        for field in ApiToken._meta.concrete_fields:
            setattr(obj, field.attname, getattr(token, field.attname))

    def response_add(self, request, obj, post_url_continue=None):
        # The token is in this response only: not in a message (a cookie), not in the database.
        return TemplateResponse(
            request,
            "admin/bots/apitoken_created.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "token": obj,
                "raw_token": obj.raw_token,
                "title": _("API token created"),
            },
        )

    @admin.action(description=_("Revoke selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        active = list(queryset.filter(revoked_at=None))
        for token in active:
            services.revoke_api_token(token=token)
        self.message_user(
            request,
            ngettext("Revoked %(count)d token.", "Revoked %(count)d tokens.", len(active))
            % {"count": len(active)},
            messages.SUCCESS,
        )


@admin.register(Identity)
class IdentityAdmin(ReadOnly, admin.ModelAdmin):
    """Who each bot knows by which id; deleting one makes the bot's next turn a new person."""

    list_display = ("external_id", "client", "user", "created_at")
    list_filter = ("client",)
    list_select_related = ("client", "user")
    search_fields = ("external_id", "user__username")
    show_full_result_count = False
