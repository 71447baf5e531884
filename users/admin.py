from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import PROFILE_MAX_LENGTH, User

NO_PROFILE = Q(user_profile__isnull=True) | Q(user_profile="")


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


class ProfileLimitChangeForm(UserChangeForm):
    user_profile = forms.CharField(
        required=False,
        max_length=PROFILE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=User._meta.get_field("user_profile").help_text,
    )


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = ProfileLimitChangeForm
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Dynamic profile"), {"fields": ("user_profile",)}),
    )
    list_display = ("username", "email", "is_staff", "date_joined")
    list_filter = (HasProfileFilter, *DjangoUserAdmin.list_filter)
    search_fields = (*DjangoUserAdmin.search_fields, "user_profile")
