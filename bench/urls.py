"""The product's URLs plus bare views the API is measured against (never served in
production: only bench/settings.py points at this module)."""

import json
from functools import cache
from http import HTTPStatus

from django.contrib.auth import get_user_model
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as product_urls
from profiles.models import Interaction


def bare_profile(request, person_id: str) -> JsonResponse:
    """The same row as the profile API, in one query, with no auth, validation or schema."""
    profile = (
        get_user_model()
        .objects.filter(bot_identities__external_id=person_id)
        .values_list("user_profile", flat=True)
        .first()
    )
    return JsonResponse({"person_id": person_id, "user_profile": profile})


@cache
def _user_id(person_id: str) -> int:
    return get_user_model().objects.get(bot_identities__external_id=person_id).pk


@csrf_exempt
def bare_insert(request, person_id: str) -> JsonResponse:
    """The same row as recording a turn, in one query (the person's id is looked up once per
    process), with no auth, validation, schema or refresh."""
    turn = json.loads(request.body)
    interaction = Interaction.objects.create(
        user_id=_user_id(person_id),
        user_message=turn["user_message"],
        assistant_response=turn["assistant_response"],
    )
    return JsonResponse({"id": interaction.pk}, status=HTTPStatus.ACCEPTED)


urlpatterns = [
    path("bench/people/<str:person_id>/profile", bare_profile),
    path("bench/people/<str:person_id>/interactions", bare_insert),
    *product_urls,
]
