from django.urls import path

from . import views

app_name = "profiles"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("edit/", views.edit, name="edit"),
    path("clear/", views.clear, name="clear"),
    path("interactions/", views.record, name="record"),
    path("history/", views.history, name="history"),
    path("history/<int:revision_id>/revert/", views.revert, name="revert"),
    path("export/", views.export, name="export"),
]
