"""Reads shared by the pages, the API and the admin."""

from django.contrib.auth.base_user import AbstractBaseUser


def export_user_data(user: AbstractBaseUser) -> dict:
    """Everything stored about one person, as JSON-ready data."""
    return {
        "account": {
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "user_profile": user.user_profile,
        "revisions": [
            {
                "created_at": r.created_at.isoformat(),
                "source": r.source,
                "profiler": r.profiler,
                "text": r.text,
            }
            for r in user.profile_revisions.order_by("created_at", "id")
        ],
        "interactions": [
            {
                "created_at": i.created_at.isoformat(),
                "user_message": i.user_message,
                "assistant_response": i.assistant_response,
            }
            for i in user.interactions.order_by("created_at", "id")
        ],
    }
