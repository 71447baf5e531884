import hypothesis
import pytest
from hypothesis import strategies as st

from profiles.profilers import Turn
from profiles.profilers.rules import RulesProfiler


def profile(*messages, current=""):
    turns = [Turn(user_message=m, assistant_response="Sure.") for m in messages]
    return RulesProfiler().profile(current_profile=current, interactions=turns)


def line(text, label):
    return next((x for x in text.splitlines() if x.startswith(label)), "")


def test_short_questions_and_analytical_wording():
    text = profile(
        "Why is my Django query slow?",
        "How do I compare two query plans?",
        "Is there evidence an index helps? Explain the tradeoff.",
    )

    style = line(text, "Communication style:")
    assert "short messages" in style
    assert "asks a lot of questions" in style
    assert "analytical" in style


def test_long_emotional_messages():
    long = (
        "I feel so tired and frustrated today! My boss was angry again and I am worried "
        "about everything, honestly I hate how this week went and I feel lonely. " * 3
    )
    style = line(profile(long, long), "Communication style:")

    assert "long, detailed messages" in style or "medium-length" in style
    assert "emotional" in style
    assert "questions" not in style


def test_topics_are_ranked_by_how_many_messages_mention_them():
    text = profile(
        "My python code has a bug.",
        "Another python function fails.",
        "Planning a trip to Lisbon, need a hotel.",
    )

    assert line(text, "Topics of interest:") == "Topics of interest: programming, travel."


def test_short_stems_match_whole_words_only():
    # "team" must not count as "tea", nor "sonar" as "son".
    text = profile("Our team ships sonar software.")

    assert "food" not in text
    assert "family" not in text


def test_stated_preferences_in_english_and_russian():
    text = profile(
        "Please be brief. I prefer examples in Python.",
        "Пожалуйста, покороче и списком.",
    )

    prefs = line(text, "Preferences:")
    assert "asks for brief answers" in prefs
    assert "asks for examples" in prefs
    assert "asks for lists" in prefs
    assert 'said "I prefer examples in Python"' in prefs


def test_language_detection():
    english = profile("What is the best way to learn this?")
    russian = profile("Как мне лучше выучить это? Я не понимаю, что делать.")
    mixed = profile("Я пишу на Python и мне нужна помощь с кодом", "Thanks, that is the fix")

    assert line(english, "Language:") == "Language: writes in English."
    assert line(russian, "Язык:") == "Язык: пишет на русском."  # and in Russian
    assert line(mixed, "Язык:") == "Язык: пишет на русском, иногда на английском."


def test_russian_topics():
    text = profile("Помоги с кодом на питоне, функция падает с ошибкой.")

    assert "программирование" in line(text, "Интересы:")


def test_keeps_what_the_person_wrote_and_replaces_its_own_lines():
    first = profile("I love cooking pasta.", current="I am a vegetarian.\nCall me Sam.")
    second = profile("My python code is broken.", current=first)

    assert second.startswith("I am a vegetarian.\nCall me Sam.\n\n")
    assert second.count("Communication style:") == 1
    assert "programming" in second
    assert "food" not in second  # only the recent interactions count


def test_deterministic():
    messages = ("Please be brief.", "Why does my code fail?", "Я люблю чай!")

    assert profile(*messages) == profile(*messages)


def test_blank_messages_leave_profile_unchanged():
    assert profile("", "   ", current="Kept.") == "Kept."


def test_hostile_input_is_handled():
    huge = "слово word 🙂 \u202e" * 20_000
    text = profile(huge, "\u200f\u202eright-to-left? 🙂🙂", "")

    assert "Стиль общения:" in text  # the Cyrillic outweighs the Latin
    assert len(text) < 4000


def test_keeps_what_the_person_says_about_themselves_in_english():
    text = profile(
        "Hi, I'm Anna. I was born on 14 March 1991 at 06:40 in Novosibirsk.",
        "My husband and I have two kids. What does my natal chart say?",
    )

    assert line(text, "Personal facts:") == (
        "Personal facts: name: Anna; born: 14 March 1991; birth time: 06:40; "
        "birthplace: Novosibirsk; family: husband, two kids."
    )
    assert "astrology and esoterics" in line(text, "Topics of interest:")


def test_writes_in_russian_for_someone_who_writes_russian():
    text = profile(
        "Меня зовут Ольга, я родилась 14 марта 1991 года в 06:40 в Новосибирске.",
        "Я живу в Казани и работаю врачом. Что значит Луна в Скорпионе? Коротко, пожалуйста.",
    )

    assert line(text, "О себе:") == (
        "О себе: имя: Ольга; дата рождения: 14 марта 1991; время рождения: 06:40; "
        "место рождения: Новосибирск; живёт: Казань; работа: врач."
    )
    assert "астрология и эзотерика" in line(text, "Интересы:")
    assert line(text, "Предпочтения:") == "Предпочтения: просит краткие ответы."
    assert line(text, "Язык:") == "Язык: пишет на русском."
    assert line(text, "Стиль общения:").startswith("Стиль общения: пишет короткие сообщения")
    assert "Topics of interest" not in text


def test_a_russian_profile_keeps_the_persons_own_lines_and_replaces_its_own():
    first = profile("Я живу в Казани. Что значит Луна в Скорпионе?")

    again = profile("Я живу в Казани.", current="Я люблю чай.\n\n" + first)

    assert again.startswith("Я люблю чай.\n\n")
    assert again.count("Язык:") == 1


def test_other_languages_get_english():
    text = profile("Ich wohne in Berlin und liebe Python.", "Wie geht es dir?")

    assert line(text, "Language:").startswith("Language: writes in")
    assert "Topics of interest: programming." in text


def test_a_later_statement_of_a_fact_replaces_the_earlier_one():
    text = profile("I live in Berlin.", "I moved! I live in Lisbon now.")

    assert line(text, "Personal facts:") == "Personal facts: lives in: Lisbon."


def test_no_facts_are_made_up_from_ordinary_sentences():
    text = profile("I'm a bit tired.", "I am not sure. Is Python in Berlin popular?")

    assert line(text, "Personal facts:") == ""


def test_relationships_and_feelings_are_a_topic():
    text = profile("I feel lonely since my girlfriend left.", "And we argue all the time.")

    assert "relationships and feelings" in line(text, "Topics of interest:")
    assert "отношения и чувства" in line(profile("Мы постоянно ссоримся."), "Интересы:")


def test_no_recurring_themes_line_and_an_old_one_is_replaced():
    old = "Recurring themes: good, yeah.\nI am a vegetarian."
    text = profile(*["Please be brief, a short message and an example list."] * 3, current=old)

    assert "Recurring themes" not in text
    assert text.startswith("I am a vegetarian.")
    assert "asks for brief answers" in line(text, "Preferences:")


CUSTOM_TOPICS = {"gardening": ("garden", "tomato", "сад", "томат")}


def test_the_topic_lexicon_can_be_replaced_through_a_setting(settings):
    settings.PROFILER_TOPICS = "tests.profiles.test_profilers_rules.CUSTOM_TOPICS"

    text = profile("My tomatoes in the garden are dying.", "Why is my python code slow?")

    assert line(text, "Topics of interest:") == "Topics of interest: gardening."


# Issue 19: what people say about themselves, as they really write it. Each case is one
# message, in lowercase and capitalised, and the item its profile must hold.
FACTS = "Personal facts:"
HEALTH = "Health and safety:"
HOBBIES = "Hobbies:"
RU_FACTS = "О себе:"
RU_HEALTH = "Здоровье и безопасность:"
RU_HOBBIES = "Увлечения:"

OWN_FACTS = [
    # (kind, message, label of the line, item expected on it)
    ("name", "hi there, my name is sarah and i just got home", FACTS, "name: Sarah"),
    ("name", "hey! i'm tom. how are you doing today", FACTS, "name: Tom"),
    ("age", "i am 34 years old and tired", FACTS, "age: 34"),
    ("age", "i'm forty two, believe it or not", FACTS, "age: 42"),
    ("lives in", "i live in colorado with my two dogs", FACTS, "lives in: Colorado"),
    (
        "lives in",
        "we moved last year, i live in north carolina now",
        FACTS,
        "lives in: North Carolina",
    ),
    ("from", "i'm from india originally", FACTS, "from: India"),
    ("work", "i am a librarian at the public library", FACTS, "work: librarian"),
    ("work", "i work in construction, long days", FACTS, "work: construction"),
    ("work", "i'm a mechanical engineer", FACTS, "work: mechanical engineer"),
    ("work", "i work as a nurse in a children's hospital", FACTS, "work: nurse"),
    ("studies", "i'm a college student studying biology", FACTS, "studies: biology"),
    ("family", "my husband and i have three kids", FACTS, "family: husband, three kids"),
    ("family", "i have a younger brother and my mom lives with us", FACTS, "brother"),
    ("family", "i have a boyfriend, we met in school", FACTS, "family: boyfriend"),
    ("pets", "i have two cats and a dog", FACTS, "pets: two cats, dog"),
    ("diet", "i am a vegetarian, have been for years", HEALTH, "diet: vegetarian"),
    ("diet", "i don't eat meat at all", HEALTH, "diet: no meat"),
    (
        "allergy",
        "i'm allergic to peanuts so be careful with recipes",
        HEALTH,
        "allergic to: peanuts",
    ),
    ("allergy", "i have a nut allergy", HEALTH, "allergic to: nuts"),
    ("health", "i have type 2 diabetes", HEALTH, "diabetes"),
    ("health", "i have asthma since childhood", HEALTH, "asthma"),
    ("hobbies", "i love hiking and i play the guitar on weekends", HOBBIES, "hiking"),
    ("hobbies", "i really enjoy gardening", HOBBIES, "gardening"),
    ("hobbies", "in my free time i listen to jazz", HOBBIES, "jazz"),
]

RU_OWN_FACTS = [
    ("name", "привет, меня зовут ольга", RU_FACTS, "имя: Ольга"),
    ("name", "привет я аня, а тебя как зовут?", RU_FACTS, "имя: Аня"),
    ("age", "мне 25 лет, учусь в институте", RU_FACTS, "возраст: 25"),
    ("age", "мне уже сорок два года", RU_FACTS, "возраст: 42"),
    ("lives in", "я живу в москве уже давно", RU_FACTS, "живёт: Москва"),
    ("lives in", "живу в казани с мужем", RU_FACTS, "живёт: Казань"),
    ("from", "я из новосибирска, а ты?", RU_FACTS, "родом из: Новосибирск"),
    ("work", "я строитель, работаю на стройке", RU_FACTS, "работа: строитель"),
    ("work", "работаю слесарем на заводе", RU_FACTS, "работа: слесарь"),
    ("work", "я работаю в больнице медсестрой", RU_FACTS, "работа: медсестра"),
    ("studies", "я студентка, учусь на юриста", RU_FACTS, "учёба: студентка"),
    ("family", "у меня двое детей и муж", RU_FACTS, "семья: двое детей, муж"),
    ("family", "я замужем, есть дочь", RU_FACTS, "замужем"),
    ("family", "мой брат живёт в питере", RU_FACTS, "семья: брат"),
    ("pets", "у меня есть собака и два попугайчика", RU_FACTS, "питомцы: собака, два попугайчика"),
    ("diet", "я вегетарианка", RU_HEALTH, "питание: вегетарианка"),
    ("diet", "я не ем мясо", RU_HEALTH, "питание: без мяса"),
    ("allergy", "у меня аллергия на орехи", RU_HEALTH, "аллергия: орехи"),
    ("health", "у меня диабет", RU_HEALTH, "диабет"),
    ("hobbies", "я люблю рыбалку и шахматы", RU_HOBBIES, "рыбалка"),
    ("hobbies", "увлекаюсь фотографией", RU_HOBBIES, "фотография"),
    ("hobbies", "в свободное время играю на гитаре", RU_HOBBIES, "гитара"),
]


def _capitalised(message: str) -> str:
    """The same message as a careful writer types it: sentences and "I" capitalised."""
    import re

    text = re.sub(r"\bi\b", "I", message)
    text = re.sub(r"(^|[.!?] )(\w)", lambda m: m.group(1) + m.group(2).upper(), text)
    for name in ("sarah", "tom", "colorado", "north carolina", "india", "ольга", "аня",
                 "москве", "казани", "новосибирска", "питере"):  # fmt: skip
        text = text.replace(name, name.title())
    return text


@pytest.mark.parametrize(("kind", "message", "label", "item"), OWN_FACTS + RU_OWN_FACTS)
@pytest.mark.parametrize("casing", ["lowercase", "capitalised"])
def test_a_fact_the_person_states_is_recorded(kind, message, label, item, casing):
    text = profile(message if casing == "lowercase" else _capitalised(message))

    assert item in line(text, label), (kind, text)


TRAPS = [
    # (what it tries, message, words that must not appear on any facts line)
    ("negation", "i am not a teacher, my mom is", ["teacher"]),
    ("negation", "I don't have kids and I'm not married", ["kids", "married"]),
    ("negation", "i don't live in london anymore", ["London"]),
    ("negation", "I have no allergies", ["allerg"]),
    ("negation", "i hate astrology and horoscopes", ["astrology"]),
    ("question", "do you like your job? are you a nurse?", ["nurse", "job"]),
    ("question", "Where do you live? Do you have a dog?", ["dog"]),
    ("other person", "my sister is a nurse and lives in boston", ["nurse", "Boston"]),
    ("other person", "My friends are from India", ["India"]),
    ("other person", "my dad is 60 and works as a plumber", ["60", "plumber"]),
    ("hypothetical", "if i were a doctor i would live in paris", ["doctor", "Paris"]),
    ("hypothetical", "i want to be a pilot one day", ["pilot"]),
    ("negation", "я не люблю астрологию", ["астролог"]),
    ("negation", "я не замужем и детей нет", ["замужем", "дет"]),
    ("negation", "я не врач, я только учусь", ["врач"]),
    ("negation", "живу без собаки, аллергии нет", ["собак", "аллерг"]),
    ("question", "а ты где живёшь? ты врач?", ["врач"]),
    ("question", "у тебя есть дети? чем занимаешься?", ["дет"]),
    ("other person", "мои друзья из индии", ["Инди"]),
    ("other person", "моя сестра работает медсестрой в москве", ["медсестр", "Москв"]),
    ("hypothetical", "хочу стать пилотом", ["пилот"]),
    ("hypothetical", "если бы я жил в париже, я был бы художником", ["Париж", "художник"]),
]


@pytest.mark.parametrize(("what", "message", "never"), TRAPS, ids=[t[1][:30] for t in TRAPS])
def test_a_trap_is_never_recorded_as_the_persons_own_fact(what, message, never):
    text = profile(message, message.capitalize())
    recorded = " ".join(
        line(text, label) for label in (FACTS, HEALTH, HOBBIES, RU_FACTS, RU_HEALTH, RU_HOBBIES)
    )

    for word in never:
        assert word.lower() not in recorded.lower(), (what, text)


def test_a_dislike_is_never_an_interest():
    english = profile("I hate astrology. Horoscopes are nonsense to me.")
    russian = profile("Я не люблю астрологию и гороскопы.")

    assert "astrology" not in line(english, "Topics of interest:")
    assert "астролог" not in line(russian, "Интересы:")


def test_a_do_not_becomes_a_preference_against():
    text = profile("Please do not use bullet points, and no examples.")
    russian = profile("Пожалуйста, без списков и не надо примеров.")

    prefs = line(text, "Preferences:")
    assert "avoid lists" in prefs
    assert "avoid examples" in prefs
    assert "asks for lists" not in prefs
    assert "asks for examples" not in prefs
    ru_prefs = line(russian, "Предпочтения:")
    assert "без списков" in ru_prefs
    assert "без примеров" in ru_prefs


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("Can you listen to me for a minute? I need to vent.", "relationships and feelings"),
        ("Здорово! Хочу больше узнать.", "здоровье"),
        ("I saw the scorpions live, what a band", "astrology"),
    ],
)
def test_topics_come_from_whole_words_not_pieces_of_words(message, topic):
    text = profile(message)

    assert topic not in line(text, "Topics of interest:") + line(text, "Интересы:")


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("i love jazz and old rock records", "music and arts"),
        ("we watched three episodes of the new series last night", "films and series"),
        ("my tomatoes and roses need repotting", "gardening and nature"),
        ("i go running and play football every sunday", "sports"),
        ("my old truck needs new brakes", "cars"),
        ("обожаю сериалы и кино", "фильмы и сериалы"),
        ("по выходным играю в футбол", "спорт"),
        ("мой кот опять не ест корм", "домашние животные"),
    ],
)
def test_everyday_interests_are_topics(message, topic):
    text = profile(message)

    assert topic in line(text, "Topics of interest:") + line(text, "Интересы:")


def test_facts_persist_across_refreshes_until_restated():
    first = profile("Hi, my name is Sam. I live in Denver and I'm allergic to shellfish.")
    later = profile(*["Why is my python code slow?"] * 20, current=first)
    moved = profile("I just moved, I live in Austin now.", current=later)

    assert "name: Sam" in line(later, FACTS)
    assert "lives in: Denver" in line(later, FACTS)
    assert "allergic to: shellfish" in line(later, HEALTH)
    assert "lives in: Austin" in line(moved, FACTS)
    assert "Denver" not in moved
    assert "name: Sam" in line(moved, FACTS)


def test_russian_facts_persist_in_russian():
    first = profile("Меня зовут Ольга, я живу в Казани.")
    later = profile("Как ускорить код на питоне?", current=first)

    assert "имя: Ольга" in line(later, RU_FACTS)
    assert "живёт: Казань" in line(later, RU_FACTS)


def test_safety_facts_come_before_hobbies_and_everything_else():
    text = profile("I love hiking. I'm allergic to bees. My name is Jo and I'm a nurse.")
    labels = [x.split(":")[0] for x in text.splitlines()]

    assert labels[0] == "Health and safety"
    assert labels.index("Personal facts") < labels.index("Hobbies")


def test_nothing_is_quoted_from_a_question_or_about_someone_else():
    text = profile("Would you rather I prefer tea? My sister would rather die than cook.")

    assert 'said "' not in text


def test_a_remark_on_a_relative_gives_family_but_not_their_interests():
    english = line(profile("My husband works in a bank."), "Topics of interest:")
    russian = line(profile("Моя сестра играет в футбол."), "Интересы:")

    assert english == "Topics of interest: family."
    assert russian == "Интересы: семья."


def test_crafted_dense_input_still_yields_what_was_said_first():
    text = profile("Hi, my name is Sam and I'm allergic to peanuts. " + "a," * 100_000)

    assert "name: Sam" in line(text, FACTS)
    assert "allergic to: peanuts" in line(text, HEALTH)


def test_the_same_clause_said_twice_is_recorded_once():
    text = profile("I have a dog. I have a dog. I have a dog.")

    assert line(text, FACTS) == "Personal facts: pets: dog."


@hypothesis.settings(max_examples=60, deadline=None)
@hypothesis.given(
    st.lists(
        st.text(alphabet=st.sampled_from("ab яне,.?!'’ I'm my не у меня 1:0"), max_size=80)
        | st.text(max_size=80),
        min_size=1,
        max_size=4,
    )
)
def test_any_text_gives_a_profile_that_reads_back_to_the_same_facts(messages):
    first = profile(*messages)
    again = profile(*messages, current=first)

    assert isinstance(first, str)
    for label in (FACTS, HEALTH, HOBBIES, RU_FACTS, RU_HEALTH, RU_HOBBIES):
        assert line(again, label) == line(first, label)
