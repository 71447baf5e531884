"""An offline, deterministic profiler built from word lists and simple counts.

It reads only the person's messages (not the assistant's replies) and writes five labelled
lines: communication style, topics of interest, recurring themes, stated preferences and
language. Lines in the current profile that do not start with one of its labels were
written by someone else (usually the person) and are kept, first, as they are.
"""

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext, gettext_noop, override, pgettext

from .base import BaseProfiler, Turn

# Very long messages say no more about style than their first part; bound the work.
MESSAGE_CHARS = 5000

# Written in the person's language (message catalogs in locale/; English for the rest).
STYLE, TOPICS, THEMES, PREFERENCES, LANGUAGE, FACTS = (
    gettext_noop("Communication style:"),
    gettext_noop("Topics of interest:"),
    gettext_noop("Recurring themes:"),
    gettext_noop("Preferences:"),
    gettext_noop("Language:"),
    gettext_noop("Personal facts:"),
)
ENGLISH_LABELS = (STYLE, TOPICS, THEMES, PREFERENCES, LANGUAGE, FACTS)


@cache
def all_labels() -> tuple[str, ...]:
    """The labels in every configured language: how the profiler knows its own lines."""
    labels = set(ENGLISH_LABELS)
    for code, _name in settings.LANGUAGES:
        with override(code):
            labels.update(gettext(label) for label in ENGLISH_LABELS)
    return tuple(labels)


WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
LATIN = re.compile(r"[A-Za-z]")

# Word stems per topic, English and Russian (see Lexicon for how a word matches).
TOPIC_STEMS: dict[str, tuple[str, ...]] = {
    gettext_noop("programming"): (
        "python", "code", "coding", "program", "django", "javascript", "bug", "debug", "api",
        "database", "sql", "function", "compile", "git", "rust", "software", "bugs",
        "код", "программ", "функци", "баз", "ошибк", "питон",
    ),
    gettext_noop("data and science"): (
        "dataset", "statistic", "math", "physics", "chemistry", "biology", "research", "experiment",
        "science", "статистик", "математик", "физик", "наук", "исследова",
    ),
    gettext_noop("work and career"): (
        "job", "career", "interview", "salary", "manager", "boss", "colleague", "promotion",
        "работ", "карьер", "собеседован", "зарплат", "начальник", "коллег",
    ),
    gettext_noop("health and fitness"): (
        "health", "doctor", "sleep", "diet", "exercise", "workout", "running", "gym",
        "здоров", "врач", "сон", "диет", "трениров", "спорт", "бег", "боль",
    ),
    gettext_noop("travel"): (
        "travel", "trip", "flight", "hotel", "visa", "vacation", "holiday", "tour",
        "путешеств", "поездк", "перелёт", "перелет", "отел", "виз", "отпуск",
    ),
    gettext_noop("food and cooking"): (
        "food", "cook", "recipe", "bake", "dinner", "lunch", "restaurant", "coffee", "tea",
        "еда", "готов", "рецепт", "ужин", "обед", "ресторан", "кофе", "чай",
    ),
    gettext_noop("money and finance"): (
        "money", "budget", "invest", "stock", "tax", "taxes", "loan", "mortgage", "bank", "crypto",
        "деньг", "бюджет", "инвест", "акци", "налог", "кредит", "ипотек", "банк",
    ),
    gettext_noop("learning and education"): (
        "learn", "study", "course", "exams", "examination", "school", "university", "lesson",
        "teacher",
        "учи", "изуча", "курс", "экзамен", "школ", "университет", "урок",
    ),
    gettext_noop("family"): (
        "family", "wife", "husband", "kid", "kids", "child", "son", "daughter", "parent",
        "pregnan", "семь", "жена", "муж", "ребён", "ребен", "дети", "детей", "детск",
        "сын", "дочь", "беремен",
    ),
    gettext_noop("relationships and feelings"): (
        "relationship", "girlfriend", "boyfriend", "lonely", "argu", "breakup", "divorc",
        "dating", "friend", "partner", "listen", "отношени", "ссор", "одинок", "обижа",
        "любов", "расстав", "развод", "партнёр", "партнер", "друз", "тяжело",
    ),
    gettext_noop("astrology and esoterics"): (
        "astrolog", "horoscope", "zodiac", "natal", "tarot", "retrograde", "venus", "mercury",
        "crystal", "meditat", "aries", "gemini", "scorpio", "астролог", "гороскоп", "зодиак",
        "натальн", "таро", "ретроград", "венер", "лун", "кристалл", "медитац", "расклад",
        "овен", "скорпион",
    ),
    gettext_noop("music and arts"): (
        "music", "song", "guitar", "piano", "paint", "draw", "film", "movie", "book", "novel",
        "музык", "песн", "гитар", "рису", "фильм", "кино", "книг", "роман",
    ),
    gettext_noop("games"): ("game", "gaming", "chess", "playstation", "xbox", "игр", "шахмат"),
}  # fmt: skip

EMOTIONAL_STEMS = (
    "feel", "love", "hate", "afraid", "scared", "worr", "anxious", "happy", "sad", "angry",
    "upset", "excit", "frustrat", "annoy", "tired", "lonely", "awesome", "terrible", "amazing",
    "чувств", "люблю", "ненавиж", "боюсь", "страшн", "волну", "трев", "счаст", "грустн",
    "злю", "злит", "расстро", "устал", "одиноко", "ужасн", "обожа", "радост",
)  # fmt: skip
ANALYTICAL_STEMS = (
    "why", "analy", "compare", "evidence", "reason", "because", "therefore", "data",
    "metric", "measure", "logic", "tradeoff", "pros", "cons", "efficien", "optimi", "explain",
    "почему", "анализ", "сравн", "доказ", "причин", "потому", "следовательно",
    "метрик", "измер", "логик", "эффектив", "оптимиз", "объясн",
)  # fmt: skip

STOP_WORDS = {
    "english": {
        "the", "and", "is", "are", "to", "of", "in", "it", "that", "you", "for", "on", "with",
        "this", "what", "my", "be", "have", "can", "not", "do", "was", "how", "me", "about",
    },
    "russian": {
        "и", "в", "не", "на", "что", "я", "с", "как", "это", "мне", "по", "но", "у", "меня",
        "так", "ты", "все", "он", "она", "то", "за", "бы", "мой", "вы", "для",
    },
}  # fmt: skip
# Words too common to be a theme, besides the stop words.
FILLER = {
    "about", "also", "just", "like", "more", "some", "would", "could", "should", "there",
    "their", "they", "them", "then", "than", "when", "where", "which", "will", "your", "have",
    "this", "that", "with", "from", "what", "want", "need", "know", "think", "make", "please",
    "thanks", "thank", "really", "very", "much", "does", "into", "been", "were", "here",
    "тоже", "только", "очень", "можно", "нужно", "хочу", "есть", "если", "когда", "чтобы",
    "пожалуйста", "спасибо", "себя", "тебя", "меня", "этот", "было", "будет",
    # Words of requests about the answer ("be brief", "in a list"): preferences, not themes.
    "brief", "concise", "short", "shorter", "detail", "detailed", "list", "example", "examples",
    "message", "messages", "answer", "answers", "reply", "explain", "steps", "step",
    "кратко", "коротко", "покороче", "подробно", "подробнее", "списком", "пример", "примеры",
    "ответ", "ответы", "сообщение", "объясни", "пошагово",
}  # fmt: skip

RUSSIAN, ENGLISH, OTHER_LATIN = "Russian", "English", "a Latin-script language"


def _in_language(name: str) -> str:
    """The name as it follows "writes in" (Russian: "пишет на", so prepositional); the context
    keeps these apart from a language's name elsewhere (the language switcher's)."""
    return {
        RUSSIAN: pgettext("writes in", "Russian"),
        ENGLISH: pgettext("writes in", "English"),
        OTHER_LATIN: pgettext("writes in", "a Latin-script language"),
    }[name]


BRIEF, DETAILED, LISTS, EXAMPLES, CODE, A_LANGUAGE = (
    gettext_noop("asks for brief answers"),
    gettext_noop("asks for detailed answers"),
    gettext_noop("asks for lists"),
    gettext_noop("asks for examples"),
    gettext_noop("asks for code samples"),
    gettext_noop("asks for a particular language"),
)
PREFERENCE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), meaning)
    for pattern, meaning in (
        (r"\b(be (brief|concise)|keep it short|short(er)? answers?|tl;?dr)\b", BRIEF),
        (r"(кратко|покороче|короче|коротко)", BRIEF),
        (r"\b(more detail|in detail|detailed|step[- ]by[- ]step|thorough)", DETAILED),
        (r"(подробн|пошагово|детальн)", DETAILED),
        (r"\b(bullet points?|as a list|numbered list)\b", LISTS),
        (r"(списком|по пунктам)", LISTS),
        (r"\b(examples?|for instance)\b", EXAMPLES),
        (r"(пример)", EXAMPLES),
        (r"\b(code (sample|snippet)s?|show (me )?the code)\b", CODE),
        (r"\b(in english|in russian)\b", A_LANGUAGE),
        (r"(по-русски|на русском|по-английски|на английском)", A_LANGUAGE),
    )
)
# What people say about themselves, in English and Russian: (pattern, which fact). Values are
# kept as the person wrote them (a Russian city stays in the case they used).
_NAME = r"([A-ZА-ЯЁ][a-zа-яё]+)"
FACT_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), kind)
    for pattern, kind in (
        (rf"\b(?:[Mm]y name is|I'm|I am|[Cc]all me) {_NAME}\b(?! (?:and|in)\b)", "name"),
        (rf"[Мм]еня зовут {_NAME}", "name"),
        (r"\bborn (?:on )?(\d{1,2} [A-Z][a-z]+ \d{4})", "born"),
        (r"родил(?:ся|ась) (\d{1,2} [а-яё]+ \d{4})", "born"),
        (r"(?:born|родил(?:ся|ась))[^.!?\n]*?\b(?:at|в) (\d{1,2}:\d{2})", "born at"),
        (rf"\bborn[^.!?\n]*? in {_NAME}", "born in"),
        (rf"родил(?:ся|ась)[^.!?\n]*? в (?:\d{{1,2}}:\d{{2}} в )?{_NAME}", "born in"),
        (rf"\bI live in {_NAME}", "lives in"),
        (rf"\b(?:work|working) as an? [a-z ]+? in {_NAME}", "lives in"),
        (rf"\bI'm an? [a-z]+(?: [a-z]+)? (?:in|from) {_NAME}", "lives in"),
        (rf"[Жж]ив(?:у|ём|ем) в {_NAME}", "lives in"),
        (rf"\b[a-z]+ из {_NAME}|[а-яё]+ из {_NAME}", "lives in"),
        (r"\b(?:work|working) as an? ([a-z]+(?: engineer| developer)?)", "works as"),
        (
            r"\bI'm an? ((?:software )?(?:engineer|developer|teacher|nurse|doctor|accountant|"
            r"designer|student|programmer|lawyer))\b",
            "works as",
        ),
        (r"[Рр]аботаю ([а-яё]+(?:ом|ем|ой))\b", "works as"),
        (r"\b[Яя],? ([а-яё]+ист|врач|учитель|бухгалтер|инженер)\b", "works as"),
        (r"\bI'm (\d{1,3})\b|\bI am (\d{1,3})\b", "age"),
        (r"[Мм]не (\d{1,3}) (?:год|лет)", "age"),
        (r"\b(?:[Mm]y|[Oo]ur) (wife|husband|daughter|son|kids|children|partner)\b", "family"),
        (r"\bI have (\w+ kids|\w+ children|a daughter|a son)\b", "family"),
        (r"[Мм]ы с (мужем|женой)", "family"),
        (r"[Мм]оя (дочь|жена)|[Мм]ой (сын|муж)", "family"),
        (r"[Уу] меня (дво[её] детей|трое детей|сын|дочь)", "family"),
    )
)

STATED_PREFERENCE = re.compile(
    r"\b(I (?:prefer|like|would rather|'d rather|want you to)"
    r"|я предпочитаю|мне нравится|я хочу, чтобы|лучше)\s+([^.!?\n]{3,80})",
    re.IGNORECASE,
)


def _words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


class Lexicon:
    """Word stems; a word matches when it starts with one, but short English stems ("tea",
    "son") must be the whole word so that "team" and "sonar" do not count."""

    def __init__(self, stems: Sequence[str]) -> None:
        exact = [s for s in stems if len(s) <= 3 and s.isascii()]
        prefixes = sorted((s for s in stems if s not in exact), key=len, reverse=True)
        self.exact = frozenset(exact)
        self.prefix = re.compile("|".join(map(re.escape, prefixes)))

    def __contains__(self, word: str) -> bool:
        return word in self.exact or self.prefix.match(word) is not None


@cache
def topic_lexicons(path: str) -> dict[str, Lexicon]:
    """The topic lexicon named by a dotted path (setting PROFILER_TOPICS), ready to match."""
    return {topic: Lexicon(stems) for topic, stems in import_string(path).items()}


EMOTIONAL = Lexicon(EMOTIONAL_STEMS)
ANALYTICAL = Lexicon(ANALYTICAL_STEMS)


class RulesProfiler(BaseProfiler):
    """Offline profiler: keyword lexicons and counts over the recent interactions."""

    name = "rules"

    def __init__(self) -> None:
        # Replaceable: PROFILER_TOPICS names a {topic: (stems, ...)} dict of your own.
        self.topics = topic_lexicons(settings.PROFILER_TOPICS)

    def profile(self, *, current_profile: str, interactions: Sequence[Turn]) -> str:
        messages = [t.user_message[:MESSAGE_CHARS] for t in interactions if t.user_message.strip()]
        labels = all_labels()
        own_lines = [line for line in current_profile.splitlines() if not line.startswith(labels)]
        if not messages:
            return current_profile
        words_per_message = [_words(m) for m in messages]
        languages = self._languages(messages, words_per_message)
        # In the person's main language when there is a catalog for it; English otherwise.
        with override("ru" if languages[:1] == [RUSSIAN] else "en"):
            lines = [
                self._style(messages, words_per_message),
                self._topics(words_per_message),
                self._themes(words_per_message),
                self._preferences(messages),
                self._language(languages),
                self._facts(messages),
            ]
        own = "\n".join(own_lines).strip()
        generated = "\n".join(line for line in lines if line)
        return f"{own}\n\n{generated}" if own else generated

    def _style(self, messages: list[str], words: list[list[str]]) -> str:
        average = sum(len(w) for w in words) / len(words)
        if average < 8:
            length = gettext("writes very short messages (about %(words)d words)")
        elif average < 25:
            length = gettext("writes short messages (about %(words)d words)")
        elif average < 80:
            length = gettext("writes medium-length messages (about %(words)d words)")
        else:
            length = gettext("writes long, detailed messages (about %(words)d words)")
        traits = [length % {"words": round(average)}]
        questions = sum("?" in m for m in messages) / len(messages)
        if questions >= 0.5:
            traits.append(gettext("asks a lot of questions"))
        elif questions > 0:
            traits.append(gettext("asks questions now and then"))
        all_words = [w for ws in words for w in ws]
        emotional = sum(w in EMOTIONAL for w in all_words)
        emotional += sum(m.count("!") for m in messages)
        analytical = sum(w in ANALYTICAL for w in all_words)
        if emotional > analytical and emotional >= 2:
            traits.append(gettext("expressive and emotional in tone"))
        elif analytical > emotional and analytical >= 2:
            traits.append(gettext("analytical in tone"))
        elif emotional and analytical:
            traits.append(gettext("mixes analytical and emotional wording"))
        return f"{gettext(STYLE)} {', '.join(traits)}."

    def _topic_counts(self, words: list[list[str]]) -> Counter[str]:
        """In how many messages each topic comes up."""
        counts: Counter[str] = Counter()
        for message_words in words:
            unique = set(message_words)
            for topic, lexicon in self.topics.items():
                if any(w in lexicon for w in unique):
                    counts[topic] += 1
        return counts

    def _topics(self, words: list[list[str]]) -> str:
        counts = self._topic_counts(words)
        if not counts:
            return ""
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:5]
        return f"{gettext(TOPICS)} {', '.join(gettext(topic) for topic, _ in ranked)}."

    def _themes(self, words: list[list[str]]) -> str:
        """Content words the person keeps coming back to, in three messages or more."""
        stop = FILLER.union(*STOP_WORDS.values())
        seen: Counter[str] = Counter()
        for message_words in words:
            seen.update({w for w in message_words if len(w) >= 4 and w not in stop})
        recurring = sorted(
            (word for word, count in seen.items() if count >= 3),
            key=lambda w: (-seen[w], w),
        )[:6]
        return f"{gettext(THEMES)} {', '.join(recurring)}." if recurring else ""

    def _preferences(self, messages: list[str]) -> str:
        found: list[str] = []
        for message in messages:
            for pattern, meaning in PREFERENCE_PATTERNS:
                if pattern.search(message) and gettext(meaning) not in found:
                    found.append(gettext(meaning))
            for match in STATED_PREFERENCE.finditer(message):
                quote = gettext('said "%(words)s"') % {"words": match.group(0).strip()}
                if quote not in found:
                    found.append(quote)
        # The newest statements matter most; keep the list short.
        return f"{gettext(PREFERENCES)} {'; '.join(found[-6:])}." if found else ""

    def _facts(self, messages: list[str]) -> str:
        """What the person said about themselves; a later statement of a fact replaces one."""
        facts: dict[str, list[str]] = {}
        for message in messages:
            for pattern, kind in FACT_PATTERNS:
                for match in pattern.finditer(message):
                    value = next(group for group in match.groups() if group)
                    values = facts.setdefault(kind, [])
                    if kind == "family":  # several relatives, each once
                        values.extend([] if value in values else [value])
                    else:
                        values[:] = [value]
        birth = ", ".join(
            (gettext("in %(place)s") if kind == "born in" else "%(place)s")
            % {"place": facts[kind][0]}
            for kind in ("born", "born at", "born in")
            if kind in facts
        )
        parts = [
            gettext("name %(name)s") % {"name": facts["name"][0]} if "name" in facts else "",
            gettext("born %(when)s") % {"when": birth} if birth else "",
            gettext("lives in %(place)s") % {"place": facts["lives in"][0]}
            if "lives in" in facts
            else "",
            gettext("works as %(job)s") % {"job": facts["works as"][0]}
            if "works as" in facts
            else "",
            gettext("%(age)s years old") % {"age": facts["age"][0]} if "age" in facts else "",
            gettext("family: %(who)s") % {"who": ", ".join(facts["family"])}
            if "family" in facts
            else "",
        ]
        parts = [part for part in parts if part]
        return f"{gettext(FACTS)} {'; '.join(parts)}." if parts else ""

    def _languages(self, messages: list[str], words: list[list[str]]) -> list[str]:
        """The languages the person writes in, the main one first."""
        text = " ".join(messages)
        cyrillic, latin = len(CYRILLIC.findall(text)), len(LATIN.findall(text))
        all_words = [w for ws in words for w in ws]
        stop_hits = {
            language: sum(w in stop for w in all_words) for language, stop in STOP_WORDS.items()
        }
        languages = []
        if cyrillic and (stop_hits["russian"] or cyrillic >= latin):
            languages.append(RUSSIAN)
        if latin and (stop_hits["english"] or latin > cyrillic):
            languages.append(ENGLISH if stop_hits["english"] else OTHER_LATIN)
        return languages if cyrillic >= latin else languages[::-1]

    def _language(self, languages: list[str]) -> str:
        if not languages:
            return ""
        if len(languages) == 2:
            line = gettext("writes in %(main)s, sometimes in %(other)s") % {
                "main": _in_language(languages[0]),
                "other": _in_language(languages[1]),
            }
        else:
            line = gettext("writes in %(main)s") % {"main": _in_language(languages[0])}
        return f"{gettext(LANGUAGE)} {line}."
