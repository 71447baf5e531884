from profiles.profilers import Turn
from profiles.prompt import build_profile_prompt


def build(history=(), message="How do I deploy?", profile="Likes tea."):
    return build_profile_prompt(
        current_profile=profile,
        history=list(history),
        user_message=message,
        assistant_response="Use Render.",
    )


def test_prompt_asks_for_what_a_profile_needs():
    prompt = build()

    for phrase in (
        "communication style",
        "topics of interest",
        "recurring themes",
        "emotional patterns",
        "presentation preferences",
        "useful context",
        "incrementally",
        "wrote into their profile themselves",
        "4,000 characters",
        "language the person writes in",
    ):
        assert phrase in prompt


def test_prompt_holds_profile_and_latest_turn():
    prompt = build()

    assert "Current profile:\nLikes tea." in prompt
    assert "Person: How do I deploy?\nAssistant: Use Render." in prompt


def test_empty_profile_is_marked():
    assert "Current profile:\n(empty)" in build(profile="")


def test_history_is_bounded_to_recent_turns_each_trimmed():
    history = [
        Turn(user_message=f"turn{i} " + "x " * 2000, assistant_response="ok") for i in range(9)
    ]

    prompt = build(history=history)

    assert "turn3" not in prompt
    assert all(f"turn{i}" in prompt for i in range(4, 9))
    assert prompt.count("[...]") == 5
    assert len(prompt) < 5 * 1100 + 4000 + 2000
