from django.urls import path, re_path

from . import api

urlpatterns = [
    path("interactions", api.interactions, name="api-interactions"),
    path("users/<str:username>/profile", api.user_profile, name="api-user-profile"),
    path("openapi.json", api.openapi, name="api-openapi"),
    re_path(r"^(?P<path>.*)$", api.not_found),
]
