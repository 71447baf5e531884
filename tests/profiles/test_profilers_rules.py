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


def test_recurring_themes_need_three_messages():
    text = profile(
        "Kubernetes upgrade broke again.",
        "Kubernetes nodes are flaky.",
        "Still fighting kubernetes.",
        "Unrelated: lunch.",
    )

    assert line(text, "Recurring themes:") == "Recurring themes: kubernetes."


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
        "Personal facts: name Anna; born 14 March 1991, 06:40, in Novosibirsk; "
        "family: husband, two kids."
    )
    assert "astrology and esoterics" in line(text, "Topics of interest:")


def test_writes_in_russian_for_someone_who_writes_russian():
    text = profile(
        "Меня зовут Ольга, я родилась 14 марта 1991 года в 06:40 в Новосибирске.",
        "Я живу в Казани и работаю врачом. Что значит Луна в Скорпионе? Коротко, пожалуйста.",
    )

    assert line(text, "О себе:") == (
        "О себе: имя Ольга; родился(ась) 14 марта 1991, 06:40, в Новосибирске; "
        "живёт в городе Казани; занятие: врачом."
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

    assert line(text, "Personal facts:") == "Personal facts: lives in Lisbon."


def test_no_facts_are_made_up_from_ordinary_sentences():
    text = profile("I'm a bit tired.", "I am not sure. Is Python in Berlin popular?")

    assert line(text, "Personal facts:") == ""


def test_relationships_and_feelings_are_a_topic():
    text = profile("I feel lonely since my girlfriend left.", "And we argue all the time.")

    assert "relationships and feelings" in line(text, "Topics of interest:")
    assert "отношения и чувства" in line(profile("Мы постоянно ссоримся."), "Интересы:")


def test_words_of_requests_about_the_answer_are_not_themes():
    text = profile(*["Please be brief, a short message and an example list."] * 3)

    assert line(text, "Recurring themes:") == ""
    assert "asks for brief answers" in line(text, "Preferences:")


CUSTOM_TOPICS = {"gardening": ("garden", "tomato", "сад", "томат")}


def test_the_topic_lexicon_can_be_replaced_through_a_setting(settings):
    settings.PROFILER_TOPICS = "tests.profiles.test_profilers_rules.CUSTOM_TOPICS"

    text = profile("My tomatoes in the garden are dying.", "Why is my python code slow?")

    assert line(text, "Topics of interest:") == "Topics of interest: gardening."
