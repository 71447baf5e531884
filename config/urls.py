from django.contrib import admin
from django.urls import include, path

from bots.urls import API_NAMESPACE, api_urls
from profiles.views import delete_account, home

from .redaction import SIGN_IN_PREFIX

# The admin's lists get the whole width at 1280 px (the users list fits its profile columns
# beside the filters); the breadcrumbs and the index lead to every model instead.
admin.site.enable_nav_sidebar = False

# The API answers unhandled errors in JSON (503 while the database is unreachable).
handler500 = "config.errors.server_error"

urlpatterns = [
    path("", home, name="home"),
    # Among the account pages, but erasing a person is the profiles app's service.
    path("accounts/delete/", delete_account, name="delete_account"),
    path("accounts/", include("users.urls")),
    path("profile/", include("profiles.urls")),
    path(SIGN_IN_PREFIX, include("bots.urls")),  # logs redact what follows it
    path("api/v1/", include(api_urls, namespace=API_NAMESPACE)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the language switcher
]
