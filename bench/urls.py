"""The product's URLs plus a bare view the API is measured against (never served in
production: only bench/settings.py points at this module)."""

from django.contrib.auth import get_user_model
from django.http import JsonResponse
from django.urls import path

from config.urls import urlpatterns as product_urls


def bare_profile(request, person_id: str) -> JsonResponse:
    """The same row as the profile API, in one query, with no auth, validation or schema."""
    profile = (
        get_user_model()
        .objects.filter(bot_identities__external_id=person_id)
        .values_list("user_profile", flat=True)
        .first()
    )
    return JsonResponse({"person_id": person_id, "user_profile": profile})


urlpatterns = [path("bench/people/<str:person_id>/profile", bare_profile), *product_urls]
