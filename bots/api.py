"""The JSON API for chat bots, on django-ninja: the schemas are the validation and the OpenAPI.

A bot knows each person by its own opaque id (a Telegram user id, say); ids are per client and
never name a website account. Every error is `{"error": "..."}` with a 4xx status; failures of
ours are JSON too (config/errors.py: 503 while the database is unreachable, else 500). Calls are
authenticated only by `Authorization: Bearer <token>`, never by a session cookie, so CSRF
protection (which guards cookie-authenticated requests) does not apply.
"""

import hashlib
import json
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Annotated

from axes.handlers.proxy import AxesProxyHandler
from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Header, NinjaAPI, Path, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer
from pydantic import AfterValidator, AwareDatetime, Field

from profiles.models import Interaction, ProfileRevision
from profiles.services import update_profile
from profiles.text import PROFILE_MAX_LENGTH, check_storable
from users.signin import FAILED_API_TOKEN, lockout_minutes, retry_after

from . import services
from .models import IdempotencyKey, Identity

MAX_BODY_BYTES = 1024 * 1024
TOO_LARGE = "The body is larger than 1 MB."
ID_MAX_LENGTH = Identity._meta.get_field("external_id").max_length
MESSAGE_MAX_LENGTH = Interaction._meta.get_field("user_message").max_length
UNKNOWN_ID = "This client has never mentioned that person id."
KEY_MAX_LENGTH = IdempotencyKey._meta.get_field("key").max_length
KEY_RULE = f"Idempotency-Key must be 1 to {KEY_MAX_LENGTH} printable ASCII characters"
HISTORY_MAX_TURNS = 1000
ID_RULE = (
    f"person_id must be 1 to {ID_MAX_LENGTH} letters, digits and _ . @ + : - "
    "(compared exactly: case and look-alike letters make a different id)"
)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        token = token.strip()
        found = services.authenticate_api_token(token) if token else None
        if found is None and token:
            # A valid token always works; past the limit a wrong one is a 429, not a 401.
            # Counted per address by django-axes, apart from web sign-ins (users.signin).
            AxesProxyHandler.user_login_failed(BearerToken, FAILED_API_TOKEN, request)
            if AxesProxyHandler.is_locked(request, FAILED_API_TOKEN):
                raise TooManyFailures
        return found


class TooManyFailures(Exception):
    pass


class JsonObjectParser(Parser):
    """Bodies are JSON objects of at most 1 MB."""

    def parse_body(self, request: HttpRequest) -> dict:
        if len(request.body) > MAX_BODY_BYTES:
            raise HttpError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, TOO_LARGE)
        try:
            data = json.loads(request.body)
        except (ValueError, RecursionError):  # ValueError includes bad UTF-8 and bad JSON
            raise HttpError(HTTPStatus.BAD_REQUEST, "The body is not valid JSON.") from None
        if not isinstance(data, dict):
            raise HttpError(HTTPStatus.BAD_REQUEST, "The body must be a JSON object.")
        return data


class BotAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__  # generated clients name their calls after it

    def get_openapi_schema(self, *args, **kwargs):
        # ninja copies a parameter's schema `examples` (a list) to the parameter itself, where
        # OpenAPI wants a map of Example Objects; the schema keeps them.
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for parameter in operation.get("parameters", []):
                    parameter.pop("examples", None)
        return schema


api = BotAPI(
    title="Dynamic profiles API",
    version="1",
    description=(
        "Record each conversation turn and read a person's profile before answering. A person "
        "is addressed by the bot's own id for them (`person_id`), unique per API client. "
        "NUL characters in messages are removed. Bodies are limited to 1 MB."
    ),
    auth=BearerToken(),
    parser=JsonObjectParser(),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # Swagger UI sets inline styles; the docs alone may use them (still no inline script).
    docs_decorator=csp_update({"style-src": [UNSAFE_INLINE]}),
)


def error(request: HttpRequest, status: HTTPStatus, message: str) -> HttpResponse:
    response = api.create_response(request, {"error": message}, status=status)
    if status == HTTPStatus.UNAUTHORIZED:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and raw.strip():
        return error(request, HTTPStatus.UNAUTHORIZED, "The API token is unknown or revoked.")
    return error(
        request, HTTPStatus.UNAUTHORIZED, "Send an API token: Authorization: Bearer <token>."
    )


@api.exception_handler(TooManyFailures)
def too_many_failures(request: HttpRequest, exc: TooManyFailures) -> HttpResponse:
    request.axes_locked_out = False  # this JSON answer, not AxesMiddleware's lockout page
    response = error(
        request,
        HTTPStatus.TOO_MANY_REQUESTS,
        f"Too many unknown API tokens from this address; try again in {lockout_minutes()} minutes.",
    )
    response["Retry-After"] = retry_after()
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja wraps any error of the parser in a generic 400; ours says what was wrong.
    if isinstance(exc.__cause__, HttpError):
        exc = exc.__cause__
    return error(request, HTTPStatus(exc.status_code), exc.message)


@api.exception_handler(RequestDataTooBig)
def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    # Over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) Django refuses to read the body at all.
    return error(request, HTTPStatus.REQUEST_ENTITY_TOO_LARGE, TOO_LARGE)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    messages = []
    first_turn = None
    for problem in exc.errors:
        loc = problem["loc"]
        field = loc[-1]
        if loc[-2:] == ("payload", "turns") and problem["type"] == "too_long":
            return error(
                request,
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"At most {HISTORY_MAX_TURNS:,} turns per import; send the rest in another.",
            )
        if field == "person_id":
            messages.append(ID_RULE)
        elif field == "Idempotency-Key":
            messages.append(KEY_RULE)
        elif field == "payload":  # an empty body
            messages.append("The body must be a JSON object")
        elif len(loc) > 4 and loc[2] == "turns":  # a history import: name only the first bad turn
            first_turn = loc[3] if first_turn is None else first_turn
            if loc[3] == first_turn:
                path = f"turns[{loc[3]}]." + ".".join(map(str, loc[4:]))
                messages.append(f"{path}: {problem['msg'].removeprefix('Value error, ')}")
        else:
            messages.append(f"{field}: {problem['msg'].removeprefix('Value error, ')}")
    return error(request, HTTPStatus.BAD_REQUEST, "; ".join(dict.fromkeys(messages)) + ".")


StorableText = Annotated[str, AfterValidator(check_storable)]
PersonId = Annotated[
    str,
    Path(
        description=ID_RULE,
        min_length=1,
        max_length=ID_MAX_LENGTH,
        pattern=r"^[\w.@+:-]+$",
        examples=["123456789"],
    ),
]


class ErrorOut(Schema):
    error: str


MessageText = Annotated[str, Field(max_length=MESSAGE_MAX_LENGTH), AfterValidator(check_storable)]


class TurnIn(Schema):
    user_message: MessageText
    assistant_response: MessageText


class TurnOut(Schema):
    id: int
    person_id: str
    person_created: bool
    created_at: datetime
    replayed: bool = Field(
        description="True when this answers an earlier request with the same Idempotency-Key: "
        "nothing new was stored."
    )


def past_in_utc(moment: datetime) -> datetime:
    try:  # in UTC: PostgreSQL refuses offsets beyond 15:59
        moment = moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("is out of range") from None
    if moment > timezone.now():
        raise ValueError("must not be in the future")
    return moment


class HistoryTurnIn(TurnIn):
    created_at: Annotated[AwareDatetime, AfterValidator(past_in_utc)] | None = Field(
        None, description="When the turn happened (with its time zone); default: now."
    )


class HistoryIn(Schema):
    turns: list[HistoryTurnIn] = Field(min_length=1, max_length=HISTORY_MAX_TURNS)


class HistoryOut(Schema):
    person_id: str
    person_created: bool
    stored: int


class ProfileIn(Schema):
    user_profile: StorableText | None = Field(
        description=f"Over {PROFILE_MAX_LENGTH:,} characters is cut at a word boundary; "
        "null or an empty string clears the profile."
    )


class ProfileOut(Schema):
    person_id: str
    user_profile: Annotated[str, Field(max_length=PROFILE_MAX_LENGTH)] | None
    updated_at: datetime | None
    refresh_pending: bool = Field(
        description="A profile refresh is queued or running: the profile may change soon."
    )


class SignInLinkOut(Schema):
    url: str
    expires_at: datetime


AUTH_ERRORS = {
    HTTPStatus.UNAUTHORIZED: ErrorOut,
    HTTPStatus.TOO_MANY_REQUESTS: ErrorOut,
    HTTPStatus.BAD_REQUEST: ErrorOut,
}
BODY_ERRORS = {**AUTH_ERRORS, HTTPStatus.REQUEST_ENTITY_TOO_LARGE: ErrorOut}
UNKNOWN = {HTTPStatus.NOT_FOUND: ErrorOut}


def _identity(request: HttpRequest, person_id: str) -> Identity:
    """This client's identity with that id, with its user; or 404."""
    try:
        return Identity.objects.select_related("user__refresh_state").get(
            client_id=request.auth.client_id, external_id=person_id
        )
    except Identity.DoesNotExist:
        raise HttpError(HTTPStatus.NOT_FOUND, UNKNOWN_ID) from None


def _profile(
    response: HttpResponse,
    person_id: str,
    profile: str | None,
    updated_at: datetime | None,
    queued_at: datetime | None,
) -> dict:
    """The profile answer, with an ETag that changes whenever any of its fields does."""
    answer = {
        "person_id": person_id,
        "user_profile": profile,
        "updated_at": updated_at,
        "refresh_pending": queued_at is not None,
    }
    version = f"{profile}\0{updated_at}\0{answer['refresh_pending']}"
    response["ETag"] = f'"{hashlib.sha256(version.encode()).hexdigest()[:32]}"'
    return answer


@api.post(
    "/people/{person_id}/interactions",
    response={HTTPStatus.ACCEPTED: TurnOut, HTTPStatus.CONFLICT: ErrorOut, **BODY_ERRORS},
    summary="Record one conversation turn",
    description="Stores the turn and schedules a profile refresh. The first turn for an id "
    "creates a person for it, known to this client only.",
)
def record_turn(
    request: HttpRequest,
    person_id: PersonId,
    payload: TurnIn,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description=f"{KEY_RULE}, e.g. the chat platform's message id. A repeat within "
            f"{settings.API_IDEMPOTENCY_WINDOW_HOURS} hours for the same person answers the "
            "first request's result and stores nothing; with a different turn it is a 409.",
            min_length=1,
            max_length=KEY_MAX_LENGTH,
            pattern=r"^[ -~]+$",
        ),
    ] = None,
):
    try:
        recorded = services.record_turn(
            client_id=request.auth.client_id,
            external_id=person_id,
            user_message=payload.user_message,
            assistant_response=payload.assistant_response,
            idempotency_key=idempotency_key,
        )
    except services.KeyReused:
        raise HttpError(
            HTTPStatus.CONFLICT,
            "This Idempotency-Key was already used with a different turn for this person.",
        ) from None
    return Status(
        HTTPStatus.ACCEPTED,
        {
            "id": recorded.id,
            "person_id": person_id,
            "person_created": recorded.person_created,
            "created_at": recorded.created_at,
            "replayed": recorded.replayed,
        },
    )


@api.post(
    "/people/{person_id}/history",
    response={HTTPStatus.CREATED: HistoryOut, **BODY_ERRORS},
    summary="Import earlier conversation turns",
    description=f"Stores up to {HISTORY_MAX_TURNS:,} turns (and 1 MB) in the order given, all "
    "or none, with their original times when given (retention applies to them), and asks for "
    "one profile refresh. Creates the person if new.",
)
def import_history(request: HttpRequest, person_id: PersonId, payload: HistoryIn):
    stored, created = services.import_history(
        client_id=request.auth.client_id,
        external_id=person_id,
        turns=[turn.dict() for turn in payload.turns],
    )
    return Status(
        HTTPStatus.CREATED, {"person_id": person_id, "person_created": created, "stored": stored}
    )


@api.delete(
    "/people/{person_id}",
    response={HTTPStatus.NO_CONTENT: None, **AUTH_ERRORS, **UNKNOWN},
    summary="Erase a person",
    description="Deletes the person and everything stored about them, as deleting the "
    "account on the website does. The next turn for this id starts a new, empty person.",
)
def erase_person(request: HttpRequest, person_id: PersonId):
    if not services.erase_person(client_id=request.auth.client_id, external_id=person_id):
        raise HttpError(HTTPStatus.NOT_FOUND, UNKNOWN_ID)
    return Status(HTTPStatus.NO_CONTENT, None)


@api.get(
    "/people/{person_id}/profile",
    response={
        HTTPStatus.OK: ProfileOut,
        HTTPStatus.NOT_MODIFIED: None,
        **AUTH_ERRORS,
        **UNKNOWN,
    },
    summary="Read a person's profile",
    description="The answer's ETag changes whenever the profile or `refresh_pending` does: "
    "send it back in If-None-Match to get a 304 without a body while nothing changed.",
)
def get_profile(request: HttpRequest, response: HttpResponse, person_id: PersonId):
    # The hot path of every bot turn: three columns in one query, no model instances.
    rows = Identity.objects.values_list(
        "user__user_profile", "user__profile_updated_at", "user__refresh_state__queued_at"
    )
    try:
        found = rows.get(client_id=request.auth.client_id, external_id=person_id)
    except Identity.DoesNotExist:
        raise HttpError(HTTPStatus.NOT_FOUND, UNKNOWN_ID) from None
    answer = _profile(response, person_id, *found)
    etag = response["ETag"]
    if etag in (tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")):
        not_modified = HttpResponse(status=HTTPStatus.NOT_MODIFIED)
        not_modified["ETag"] = etag
        return not_modified
    return answer


@api.put(
    "/people/{person_id}/profile",
    response={HTTPStatus.OK: ProfileOut, **BODY_ERRORS, **UNKNOWN},
    summary="Replace a person's profile",
    description="Stored with a revision (source `api`).",
)
def put_profile(
    request: HttpRequest, response: HttpResponse, person_id: PersonId, payload: ProfileIn
):
    user = _identity(request, person_id).user
    try:
        update_profile(
            user=user, text=payload.user_profile or "", source=ProfileRevision.Source.API
        )
    except ObjectDoesNotExist:  # erased since its identity was read: unknown from now on
        raise HttpError(HTTPStatus.NOT_FOUND, UNKNOWN_ID) from None
    state = getattr(user, "refresh_state", None)
    queued_at = state.queued_at if state else None
    return _profile(response, person_id, user.user_profile, user.profile_updated_at, queued_at)


@api.post(
    "/people/{person_id}/sign-in-link",
    response={
        HTTPStatus.CREATED: SignInLinkOut,
        HTTPStatus.FORBIDDEN: ErrorOut,
        **AUTH_ERRORS,
        **UNKNOWN,
    },
    summary="Make a one-time sign-in link for the person",
    description="Send the link in the chat: it opens a page where the person confirms with "
    "one button and is then signed in to their own pages. Opening it (a GET, as link "
    "previews do) does not use it up. Not issued for staff or deactivated accounts.",
)
def sign_in_link(request: HttpRequest, person_id: PersonId):
    try:
        link, raw = services.create_sign_in_link(identity=_identity(request, person_id))
    except services.SignInLinkRefused as refused:
        raise HttpError(HTTPStatus.FORBIDDEN, str(refused)) from None
    except IntegrityError:  # erased since its identity was read: unknown from now on
        raise HttpError(HTTPStatus.NOT_FOUND, UNKNOWN_ID) from None
    url = request.build_absolute_uri(reverse("sign-in", args=[raw]))
    return Status(HTTPStatus.CREATED, {"url": url, "expires_at": link.expires_at})
