"""How well the rules profiler captures people: on hand-written chats and on real ones.

Usage:
    python bench/profile_quality.py   (no database needed)

1. The hand-written set (bench/data/profile_quality.json, 40 chats written together with the
   first patterns): recall and precision of topics, preferences, facts, language and style.
2. The real set (bench/data/real_ru.json, committed; bench/data/real_en.json, rebuilt by
   bench/real_corpus.py from a clone of the ConvAI repository, which has no license file):
   per language and per kind of fact, recall of the facts a speaker stated (labels written
   from their persona before the profiler was tuned), precision of the facts the profile
   records, topic recall and precision, the share of profile items that match nothing the
   persona says (junk), and interests recorded from something the persona says they dislike
   (a negation turned into its opposite).
3. Cost: one 200,000-character turn of crafted input against ordinary prose of the same
   length, each read in full, as a ratio measured in the same run.
"""

import json
import os
import random
import re
import statistics
import string
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `bench` as a script

DATA = Path(__file__).parent / "data"
GOALS = {  # kind: (recall, precision) on the hand-written set
    "topics": (0.8, 0.9),
    "preferences": (0.9, 0.9),
    "facts": (0.8, 0.9),
    "language": (0.9, 0.9),
    "style": (0.9, 0.9),
}
REAL_GOALS = {"facts recall": 0.6, "facts precision": 0.9, "topic precision": 0.85}
# The profiler's kinds as the labels group them.
KIND_GROUPS = {
    "name": "name", "age": "age", "lives in": "place", "from": "place", "birthplace": "place",
    "work": "occupation", "workplace": "occupation", "studies": "occupation",
    "family": "family", "pets": "pets", "diet": "diet", "allergy": "health",
    "condition": "health", "hobbies": "hobbies",
}  # fmt: skip
KINDS = ["name", "age", "place", "occupation", "family", "pets", "diet", "health", "hobbies"]


def own_lines(profile: str) -> dict[str, str]:
    pairs = (line.split(":", 1) for line in profile.splitlines() if ":" in line)
    return {f"{label}:": text for label, text in pairs}


def read_back(profile: str) -> dict[str, set[str]]:
    """What a profile states, per kind, read with the labels of the active language."""
    from django.utils.translation import gettext

    from profiles.profilers import rules

    lines = own_lines(profile)

    def line(label: str) -> str:
        return lines.get(gettext(label), "")

    quoted = gettext('said "%(words)s"').split("%(words)s")[0]  # stated in their own words
    preferences = {p.strip(" .") for p in line(rules.PREFERENCES).split(";")}
    preferences = {p for p in preferences if p and not p.startswith(quoted)}
    language = line(rules.LANGUAGE).strip(" .")
    short, very_short = (
        gettext(phrase).split("(")[0].strip()
        for phrase in (
            "writes short messages (about %(words)d words)",
            "writes very short messages (about %(words)d words)",
        )
    )
    style = line(rules.STYLE)
    items = [
        part.strip(" .").lower()
        for label in (rules.HEALTH, rules.FACTS, rules.HOBBIES)
        for part in line(label).split(";")
        if part.strip(" .")
    ]
    return {
        "topics": {t.strip(" .") for t in line(rules.TOPICS).split(",") if t.strip(" .")},
        "preferences": preferences,
        "facts": set(items),
        # "пишет на русском": the name as it follows "writes in", in the active language.
        "language": {
            name.lower()
            for name in (rules.ENGLISH, rules.RUSSIAN)
            if language.startswith(
                gettext("writes in %(main)s") % {"main": rules._in_language(name)}
            )
        },
        "style": {"short messages"} if short in style or very_short in style else set(),
    }


def ratio(tp: int, fp: int) -> float:
    return tp / (tp + fp) if tp + fp else float("nan")


def hand_written(profiler) -> None:
    from django.utils.translation import gettext, override

    from profiles.profilers.base import Turn

    conversations = json.loads((DATA / "profile_quality.json").read_text(encoding="utf-8"))
    for language in ("english", "russian"):
        counts = {kind: [0, 0, 0] for kind in GOALS}  # true positives, false positives, missed
        chats = [c for c in conversations if c["language"] == language]
        for conversation in chats:
            turns = [Turn(t["user"], t["assistant"]) for t in conversation["turns"]]
            profile = profiler.profile(current_profile="", interactions=turns)
            with override("ru" if language == "russian" else "en"):
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
            stated = sorted(found["facts"])
            matched = set()
            for _kind, value in conversation["facts"]:
                # Russian words change their ending ("в Казани" for Казань): compare the stem.
                stem = value.lower()[: max(4, len(value) - 1)]
                hits = [i for i, part in enumerate(stated) if stem in part]
                counts["facts"][0 if hits else 2] += 1
                matched.update(hits)
            counts["facts"][1] += len(set(range(len(stated))) - matched)
        print(f"\nHand-written set, {language}: {len(chats)} conversations")
        print(f"  {'kind':<12} {'recall':>7} {'goal':>5} {'precision':>10} {'goal':>5}")
        for kind, (tp, fp, fn) in counts.items():
            recall, precision = ratio(tp, fn), ratio(tp, fp)
            want_recall, want_precision = GOALS[kind]
            met = recall >= want_recall and precision >= want_precision
            print(
                f"  {kind:<12} {recall:7.2f} {want_recall:5.2f} {precision:10.2f} "
                f"{want_precision:5.2f}   {'met' if met else 'NOT met'}"
            )


def lemmas(text: str) -> set[str]:
    from profiles.profilers import rules

    words = re.findall(r"[^\W_]+", text.lower().replace("ё", "е"))
    return {w for w in words} | {rules.lemma(w).replace("ё", "е") for w in words}


def matches(value: str, keys: list[str]) -> bool:
    found = lemmas(value)
    for key in keys:
        key = key.lower().replace("ё", "е")
        if key in found or (len(key) >= 5 and any(w.startswith(key[:5]) for w in found)):
            return True
    return False


def real(profiler, language: str) -> None:
    from django.utils.translation import gettext, override

    from profiles.profilers import rules
    from profiles.profilers.base import Turn

    path = DATA / f"real_{language}.json"
    if not path.exists():
        print(f"\nReal set, {language}: {path.name} missing; build it with bench/real_corpus.py")
        return
    corpus = json.loads(path.read_text(encoding="utf-8"))
    per_kind = {kind: [0, 0, 0, 0] for kind in KINDS}  # stated, recalled, recorded, right
    topics = [0, 0, 0, 0]  # to recall, recalled, named, allowed
    items = junk = opposites = 0
    unmatched_facts: set[tuple[str, str, str]] = set()
    unmatched_topics: set[tuple[str, str]] = set()
    for speaker in corpus["speakers"]:
        turns = [Turn(t, "") for t in speaker["turns"]]
        profile = profiler.profile(current_profile="", interactions=turns)
        facts = rules._parse_own_facts(profile.splitlines())
        recorded = [
            (KIND_GROUPS[kind], value)
            for kind, values in facts.values.items()
            if kind in KIND_GROUPS
            for value in values
        ]
        gold = [f for f in speaker["facts"] if f["kind"] in per_kind]
        for fact in gold:
            if fact["stated"]:
                per_kind[fact["kind"]][0] += 1
                hit = any(k == fact["kind"] and matches(v, fact["keys"]) for k, v in recorded)
                per_kind[fact["kind"]][1] += hit
        for kind, value in recorded:
            right = any(f["kind"] == kind and matches(value, f["keys"]) for f in gold)
            per_kind[kind][2] += 1
            per_kind[kind][3] += right
            items += 1
            junk += not right
            if not right:
                unmatched_facts.add((speaker["source"], kind, value))
            if kind == "hobbies":
                dislikes = [f for f in speaker["facts"] if f["kind"] == "dislike"]
                opposites += any(matches(value, f["keys"]) for f in dislikes)
        with override(language):
            named = {
                t.strip(" .")
                for t in own_lines(profile).get(gettext(rules.TOPICS), "").split(",")
                if t.strip(" .")
            }
            wanted = {gettext(t) for t in speaker["topics"]}
            allowed = {gettext(t) for t in speaker["allowed_topics"]}
        topics[0] += len(wanted)
        topics[1] += len(wanted & named)
        topics[2] += len(named)
        topics[3] += len(named & allowed)
        items += len(named)
        junk += len(named - allowed)
        unmatched_topics.update((speaker["source"], t) for t in named - allowed)
    stated = sum(v[0] for v in per_kind.values())
    recalled = sum(v[1] for v in per_kind.values())
    recorded = sum(v[2] for v in per_kind.values())
    right = sum(v[3] for v in per_kind.values())
    print(f"\nReal set, {language}: {len(corpus['speakers'])} speakers ({corpus['source']})")
    print(f"  {'kind':<11} {'stated':>6} {'recall':>7} {'recorded':>9} {'precision':>10}")
    for kind, (n_stated, n_recalled, n_recorded, n_right) in per_kind.items():
        print(
            f"  {kind:<11} {n_stated:6d} {ratio(n_recalled, n_stated - n_recalled):7.2f} "
            f"{n_recorded:9d} {ratio(n_right, n_recorded - n_right):10.2f}"
        )
    facts_recall, facts_precision = (
        ratio(recalled, stated - recalled),
        ratio(right, recorded - right),
    )
    topic_recall, topic_precision = (
        ratio(topics[1], topics[0] - topics[1]),
        ratio(topics[3], topics[2] - topics[3]),
    )
    print(
        f"  {'all facts':<11} {stated:6d} {facts_recall:7.2f} {recorded:9d} {facts_precision:10.2f}"
        f"   goals: recall {REAL_GOALS['facts recall']}, precision {REAL_GOALS['facts precision']}"
    )
    print(
        f"  topics: recall {topic_recall:.2f}, precision {topic_precision:.2f} "
        f"(goal {REAL_GOALS['topic precision']}); items matching nothing in the persona: "
        f"{junk}/{items} = {ratio(junk, items - junk):.0%}; dislikes recorded as interests: "
        f"{opposites}"
    )
    audited(language, right, recorded, unmatched_facts, topics, unmatched_topics)


def audited(language, right, recorded, unmatched_facts, topics, unmatched_topics) -> None:
    """Precision estimated with the hand check in real_audit.json: items that match nothing
    in the persona are right in the share the check found among those still recorded."""
    path = DATA / "real_audit.json"
    if not path.exists():
        return
    audit = json.loads(path.read_text(encoding="utf-8"))[language]
    facts = [a["right"] for a in audit["facts"]
             if (a["source"], KIND_GROUPS[a["kind"]], a["value"]) in unmatched_facts]  # fmt: skip
    named = [a["right"] for a in audit["topics"] if (a["source"], a["topic"]) in unmatched_topics]
    if not facts or not named:
        return
    fact_share, topic_share = sum(facts) / len(facts), sum(named) / len(named)
    facts_estimate = (right + (recorded - right) * fact_share) / recorded
    topics_estimate = (topics[3] + (topics[2] - topics[3]) * topic_share) / topics[2]
    wrong = (recorded - right) * (1 - fact_share) + (topics[2] - topics[3]) * (1 - topic_share)
    print(
        f"  with the hand check ({len(facts)} facts and {len(named)} topics of the audited "
        f"samples still recorded; {fact_share:.0%} and {topic_share:.0%} of them right): "
        f"facts precision ~{facts_estimate:.2f}, topic precision ~{topics_estimate:.2f}, "
        f"junk ~{wrong / (recorded + topics[2]):.0%}"
    )


def random_words(length: int, letters: int, separator: str) -> str:
    """Words no cache has seen, as short as a crafted input can make them."""
    pick = random.Random(19).choice
    words = (
        "".join(pick(string.ascii_lowercase) for _ in range(letters))
        for _ in range(length // (letters + 1) + 1)
    )
    return separator.join(words)[:length]


def cost(profiler) -> None:
    """Seconds for one long turn read in full: crafted input against prose of the same length."""
    from profiles.profilers import rules
    from profiles.profilers.base import Turn

    length = 200_000
    prose_source = json.loads((DATA / "real_ru.json").read_text(encoding="utf-8"))
    prose_text = " ".join(t for s in prose_source["speakers"] for t in s["turns"])
    english = DATA / "real_en.json"
    if english.exists():
        en = json.loads(english.read_text(encoding="utf-8"))
        prose_text = " ".join(t for s in en["speakers"] for t in s["turns"]) + " " + prose_text
    # Real turns, each once: repeating them would let the profiler skip clauses it has seen
    # and make prose look cheaper than it is. Its cost per character is scaled to `length`.
    prose = prose_text[:length]
    crafted = {
        '"born," x 40,000': "born," * 40_000,
        '"i am a " repeated': ("i am a " * length)[:length],
        '"my " repeated': ("my " * length)[:length],
        '"я не " repeated': ("я не " * length)[:length],
        '"у меня " repeated': ("у меня " * length)[:length],
        "one 200,000-letter word": "a" * length,
        '"луна " repeated': ("луна " * length)[:length],
        '"a," repeated': ("a," * length)[:length],
        '"my dog " repeated': ("my dog " * length)[:length],
        "random two-letter words and commas": random_words(length, 2, ","),
        "random three-letter words": random_words(length, 3, " "),
    }
    old_limit = rules.MESSAGE_CHARS
    rules.MESSAGE_CHARS = length  # read all of it, not just the part a refresh reads

    def seconds(text: str) -> float:
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            profiler.profile(current_profile="", interactions=[Turn(text, "")])
            runs.append(time.perf_counter() - start)
        return statistics.median(runs)

    try:
        baseline = seconds(prose) * length / len(prose)
        print(f"\nCost of one {length:,}-character turn read in full (median of 3)")
        print(
            f"  {'ordinary prose (real turns)':<30} {baseline:7.3f} s   1.00x"
            f"   ({len(prose):,} characters of real turns, scaled to {length:,})"
        )
        worst = 0.0
        for name, text in crafted.items():
            took = seconds(text)
            worst = max(worst, took / baseline)
            print(f"  {name:<30} {took:7.3f} s {took / baseline:6.2f}x")
        print(f"  worst crafted / prose: {worst:.2f}x (goal: at most 3x)")
    finally:
        rules.MESSAGE_CHARS = old_limit


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from profiles.profilers.rules import RulesProfiler

    profiler = RulesProfiler()
    print("Rules profiler")
    hand_written(profiler)
    for language in ("en", "ru"):
        real(profiler, language)
    if "--no-cost" not in sys.argv:
        cost(profiler)


if __name__ == "__main__":
    main()
