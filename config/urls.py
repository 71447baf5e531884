from django.contrib import admin
from django.urls import include, path

from bots.urls import API_NAMESPACE, api_urls
from profiles.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("users.urls")),
    path("profile/", include("profiles.urls")),
    path("sign-in/", include("bots.urls")),
    path("api/v1/", include(api_urls, namespace=API_NAMESPACE)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the language switcher
]
