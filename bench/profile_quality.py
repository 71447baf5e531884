"""How often the rules profiler gets a person's topics, preferences, facts, language and style.

Usage:
    python bench/profile_quality.py   (no database needed)

Runs the rules profiler over the labelled conversations in bench/data/profile_quality.json
(English and Russian, several turns each), reads the profile's labelled lines back, and
prints precision and recall per kind of fact against the issue's goals. A personal fact counts
only when the profile's facts line has it (Russian values are compared by their stem, as
a city's name changes its ending); a fact written there that matches no label is a false
positive.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `bench` as a script

DATA = Path(__file__).parent / "data" / "profile_quality.json"
GOALS = {  # kind: (recall, precision)
    "topics": (0.8, 0.9),
    "preferences": (0.9, 0.9),
    "facts": (0.8, 0.9),
    "language": (0.9, 0.9),
    "style": (0.9, 0.9),
}


def read_back(profile: str) -> dict[str, set[str]]:
    """The facts a profile states, per kind, read with the labels of the active language."""
    from django.utils.translation import gettext

    from profiles.profilers import rules

    pairs = (line.split(":", 1) for line in profile.splitlines() if ":" in line)
    lines = {f"{label}:": text for label, text in pairs}

    def line(label: str) -> str:
        return lines.get(gettext(label), "")

    quoted = gettext('said "%(words)s"').split("%(words)s")[0]  # stated in their own words
    preferences = {p.strip(" .") for p in line(rules.PREFERENCES).split(";")}
    preferences = {p for p in preferences if not p.startswith(quoted)}
    language = line(rules.LANGUAGE)
    # "writes short messages (about 9 words)": the words before the count.
    short, very_short = (
        gettext(phrase).split("(")[0].strip()
        for phrase in (
            "writes short messages (about %(words)d words)",
            "writes very short messages (about %(words)d words)",
        )
    )
    style = line(rules.STYLE)
    return {
        "topics": {t.strip(" .") for t in line(rules.TOPICS).split(",") if t.strip(" .")},
        "preferences": {p for p in preferences if p},
        "facts": {line(rules.FACTS)} - {""},
        "language": {
            name.lower()
            for name in (rules.ENGLISH, rules.RUSSIAN)
            if language.strip(" .").startswith(
                gettext("writes in %(main)s") % {"main": gettext(name)}
            )
        },
        "style": {"short messages"} if short in style or very_short in style else set(),
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from django.utils.translation import gettext, override

    from profiles.profilers.base import Turn
    from profiles.profilers.rules import RulesProfiler

    profiler = RulesProfiler()
    counts = {kind: [0, 0, 0] for kind in GOALS}  # true positives, false positives, missed
    conversations = json.loads(DATA.read_text(encoding="utf-8"))
    for conversation in conversations:
        turns = [Turn(t["user"], t["assistant"]) for t in conversation["turns"]]
        profile = profiler.profile(current_profile="", interactions=turns)
        # The profile is in the person's language: read it, and the labels, in that one.
        with override("ru" if conversation["language"] == "russian" else "en"):
            found = read_back(profile)
            expected = {
                "topics": {gettext(t) for t in conversation["topics"]},
                "preferences": {gettext(f"asks for {p}") for p in conversation["preferences"]},
                "language": {conversation["language"]},
                "style": set(conversation["style"]),
            }
        for kind, labels in expected.items():
            counts[kind][0] += len(found[kind] & labels)
            counts[kind][1] += len(found[kind] - labels)
            counts[kind][2] += len(labels - found[kind])
        stated = [part.strip(" .").lower() for text in found["facts"] for part in text.split(";")]
        matched = set()
        for _kind, value in conversation["facts"]:
            # Russian words change their ending ("в Казани" for Казань): compare the stem.
            stem = value.lower()[: max(4, len(value) - 1)]
            hits = [i for i, part in enumerate(stated) if stem in part]
            counts["facts"][0 if hits else 2] += 1
            matched.update(hits)
        counts["facts"][1] += len(set(range(len(stated))) - matched)
    print(f"{len(conversations)} labelled conversations; rules profiler")
    print(f"  {'kind':<12} {'recall':>7} {'goal':>5} {'precision':>10} {'goal':>5}")
    for kind, (tp, fp, fn) in counts.items():
        recall = tp / (tp + fn) if tp + fn else float("nan")
        precision = tp / (tp + fp) if tp + fp else float("nan")
        want_recall, want_precision = GOALS[kind]
        print(
            f"  {kind:<12} {recall:7.2f} {want_recall:5.2f} {precision:10.2f} {want_precision:5.2f}"
            f"   {'met' if recall >= want_recall and precision >= want_precision else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
