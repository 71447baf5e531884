from django.contrib import admin
from django.urls import include, path

from profiles.views import home
from schemaguard.views import healthz

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("users.urls")),
    path("profile/", include("profiles.urls")),
    path("api/v1/", include("profiles.api_urls")),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
