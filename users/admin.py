"""django-axes' sign-in records in the admin, under Django's model permissions.

(The user model's admin is in profiles/admin.py: it is built from profile services.)
"""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.utils.translation import gettext_lazy as _


@admin.register(AccessAttempt)
class SignInAttemptAdmin(AccessAttemptAdmin):
    # axes offers this deletion to anyone who may view the list.
    @admin.action(description=_("Clean up expired attempts"), permissions=["delete"])
    def cleanup_expired_attempts(self, request, queryset):
        super().cleanup_expired_attempts(request, queryset)


admin.site.register(AccessLog, AccessLogAdmin)
admin.site.register(AccessFailureLog, AccessFailureLogAdmin)
