from django.contrib import admin
from django.urls import include, path

from profiles.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("users.urls")),
    path("profile/", include("profiles.urls")),
    path("api/v1/", include("profiles.api_urls")),
    path("admin/", admin.site.urls),
]
