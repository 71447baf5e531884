"""The OpenAPI 3 description of the JSON API, served at /api/v1/openapi.json.

tests/profiles/test_openapi.py checks it against the URL patterns and the views' answers.
"""


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _json(ref: str, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
    }


COMMON_ERRORS = {
    "401": _error("Missing, unknown or revoked token."),
    "405": _error("Method not allowed; the Allow header lists the allowed ones."),
}
BODY_ERRORS = {
    "400": _error("Malformed JSON, or a field missing or of the wrong type."),
    "413": _error("The body is larger than 1 MB."),
}

SPEC = {
    "openapi": "3.0.3",
    "info": {
        "title": "Dynamic profiles API",
        "version": "1",
        "description": (
            "Record each conversation turn and read a person's profile before answering. "
            "NUL characters in strings are removed. Bodies are limited to 1 MB."
        ),
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearer": []}],
    "paths": {
        "/interactions": {
            "post": {
                "summary": "Record one conversation turn",
                "description": (
                    "Stores the turn and schedules a profile refresh. An unknown username "
                    "creates that user (with no usable password)."
                ),
                "operationId": "recordInteraction",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/InteractionIn"}
                        }
                    },
                },
                "responses": {
                    "202": _json(
                        "InteractionOut", "Recorded; the profile updates in the background."
                    ),
                    **BODY_ERRORS,
                    **COMMON_ERRORS,
                },
            }
        },
        "/users/{username}/profile": {
            "parameters": [
                {
                    "name": "username",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "minLength": 1, "maxLength": 150},
                }
            ],
            "get": {
                "summary": "Read a person's profile",
                "operationId": "getProfile",
                "responses": {
                    "200": _json("Profile", "The current profile."),
                    "404": _error("No user with that username."),
                    **COMMON_ERRORS,
                },
            },
            "put": {
                "summary": "Replace a person's profile",
                "description": (
                    "Stored with a revision (source `api`); over 4,000 characters is cut at a "
                    "word boundary; null or an empty string clears it."
                ),
                "operationId": "putProfile",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/ProfileIn"}}
                    },
                },
                "responses": {
                    "200": _json("Profile", "The profile as stored."),
                    "404": _error("No user with that username."),
                    **BODY_ERRORS,
                    **COMMON_ERRORS,
                },
            },
        },
        "/openapi.json": {
            "get": {
                "summary": "This description",
                "operationId": "getOpenApi",
                "security": [],
                "responses": {
                    "200": {
                        "description": "The OpenAPI document.",
                        "content": {"application/json": {}},
                    },
                    "405": COMMON_ERRORS["405"],
                },
            }
        },
    },
    "components": {
        "securitySchemes": {
            "bearer": {
                "type": "http",
                "scheme": "bearer",
                "description": "A token from `python manage.py create_api_token NAME`.",
            }
        },
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {"error": {"type": "string"}},
            },
            "InteractionIn": {
                "type": "object",
                "required": ["username", "user_message", "assistant_response"],
                "properties": {
                    "username": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 150,
                        "pattern": r"^[\w.@+-]+$",
                    },
                    "user_message": {"type": "string"},
                    "assistant_response": {"type": "string"},
                },
            },
            "InteractionOut": {
                "type": "object",
                "required": ["id", "username", "user_created", "created_at"],
                "properties": {
                    "id": {"type": "integer"},
                    "username": {"type": "string"},
                    "user_created": {"type": "boolean"},
                    "created_at": {"type": "string", "format": "date-time"},
                },
            },
            "ProfileIn": {
                "type": "object",
                "required": ["user_profile"],
                "properties": {"user_profile": {"type": "string", "nullable": True}},
            },
            "Profile": {
                "type": "object",
                "required": ["username", "user_profile", "updated_at"],
                "properties": {
                    "username": {"type": "string"},
                    "user_profile": {"type": "string", "nullable": True, "maxLength": 4000},
                    "updated_at": {"type": "string", "format": "date-time", "nullable": True},
                },
            },
        },
    },
}
