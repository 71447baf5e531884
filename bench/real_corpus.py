"""Build the real-conversation sample for bench/profile_quality.py and label it.

Usage:
    python bench/real_corpus.py --convai GIT_DIR --toloka GIT_DIR

GIT_DIR is a clone (bare is enough) of each public repository; the files are read at the
commits pinned below with `git show`, so the sample is the same on every machine.

Sources (development material only; the held-out splits are never opened):

- English: ConvAI2 crowd dialogues, `2018/data/export_2018-07-0{6,7}_train.json` in
  DeepPavlovAdmin/convai at CONVAI_COMMIT. Each dialogue has the human's persona
  (`user_profile`) and a bot. The repository carries no license file, so the sample is *not*
  committed: this script writes it to bench/data/real_en.json (ignored by git).
- Russian: Toloka Persona Chat Rus, `data/dialogues_val.json` in
  madrugado/persona-dialogue-summarization at TOLOKA_COMMIT, MIT License
  (Copyright (c) 2026 Valentin Malykh). Written to bench/data/real_ru.json and committed.

Labelling rules (written and run before the profiler was tuned; they read the persona
sentences, never the profiler):

1. A persona sentence gets a kind from its own wording (`classify_en`, `classify_ru`): name,
   age, place, occupation (work or studies), family, pets, diet, health, hobbies; a sentence
   about someone else ("my father is ...") or a wish ("I want to ...") gets none. A sentence
   that says the person does *not* like something is kept as a "dislike": a profile that
   records it as an interest has turned a negation into its opposite.
2. The label's value is the sentence's key words (the job, the place, the relative, the
   hobby), lemmatised.
3. A fact counts as *stated* only when one of its key lemmas occurs in a sentence the speaker
   wrote that is not a question. Unstated facts are kept (`stated: false`) for precision: a
   profile item that matches any persona fact of its kind is right.
4. Topics: each persona sentence gets the topics whose cue words (TOPIC_CUES below, written
   for labelling) it contains; stated sentences give the topics to recall, all sentences the
   topics a profile may name.
"""

import argparse
import json
import random
import re
import subprocess
from pathlib import Path

import pymorphy3
import simplemma

CONVAI_COMMIT = "54d921f99606960941ece4865a396925dfc264f4"
TOLOKA_COMMIT = "f0c68d635896abdacbe835535236aaafe4f9f739"
DATA = Path(__file__).parent / "data"
ENGLISH_SPEAKERS, RUSSIAN_SPEAKERS = 150, 50
MORPH = pymorphy3.MorphAnalyzer()

# Cue words per topic, matched at word starts in a persona sentence (labelling only).
TOPIC_CUES = {
    "music and arts": "music song sing guitar piano violin drum band concert rap rock jazz paint draw "
    "art музык пес пою пет гитар пиани скрипк рис живопис искусств",
    "films and series": "movie film series tv netflix cinema фильм кино сериал",
    "books and reading": "book read novel author writ книг чита роман писат",
    "sports": "sport football soccer basketball baseball hockey tennis golf swim run jog ski "
    "yoga gym marathon hik climb surf box спорт футбол хокке теннис плава бег бега лыж йог "
    "трениров фитнес",
    "food and cooking": "food cook bake eat pizza chocolate cake meat vegan vegetarian coffee tea "
    "еда готов пек ем мяс веган вегетар шоколад кофе чай торт мороже фрукт",
    "pets and animals": "dog cat pet horse bird fish puppy kitten animal собак кош кот пит животн "
    "попуга рыб хомяк лошад",
    "travel": "travel trip visit abroad vacation путешеств поездк отпуск за границ",
    "family": "wife husband kid child son daughter mother father mom dad parent brother sister "
    "family married жена муж дет сын доч мам пап родител брат сестр семь замуж женат",
    "games": "game gaming chess video играю игр шахмат нард",
    "cars": "car truck drive motorcycle машин авто",
    "gardening and nature": "garden plant flower nature fishing hunt camp сад цвет растен природ "
    "рыбалк охот",
    "work and career": "job work career boss office работ карьер",
    "learning and education": "school college university study student учу студент школ "
    "университет",
    "health and fitness": "health doctor allerg diet sick здоров аллерг диет болез",
    "fashion and beauty": "fashion clothes makeup shop мод одежд макияж шопинг",
}

NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
NUMBER_WORDS.update(
    {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
)
STOP_EN = set(
    [
        "i",
        "a",
        "an",
        "the",
        "my",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "and",
        "or",
        "with",
        "is",
        "am",
        "are",
        "be",
        "have",
        "has",
        "was",
        "it",
        "me",
        "very",
        "really",
        "so",
        "just",
        "love",
        "like",
        "enjoy",
        "go",
        "going",
        "lot",
        "lots",
        "big",
        "little",
        "one",
        "two",
        "three",
        "much",
        "many",
        "all",
        "some",
        "time",
        "favorite",
        "favourite",
    ]
)


def git_show(git_dir: str, commit: str, path: str) -> str:
    return subprocess.run(
        ["git", f"--git-dir={git_dir}", "show", f"{commit}:{path}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def lemma_en(word: str) -> str:
    return simplemma.lemmatize(word, lang="en").lower()


def lemma_ru(word: str) -> str:
    return MORPH.parse(word)[0].normal_form.replace("ё", "е")


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())


def classify_en(sentence: str) -> tuple[str, list[str]] | None:
    """(kind, key words) for one English persona sentence, or None."""
    s = sentence.lower().strip(" .!")
    s = s.replace("i'm", "i am").replace("don't", "do not").replace("can't", "can not")
    s = re.sub(r"\bi've\b", "i have", s)
    s = re.sub(r"\bi (?:really|also|just|do|truly|absolutely) ", "i ", s)
    s = re.sub(r"(\d)years", r"\1 years", s)
    if re.match(
        r"^(my (mom|mother|dad|father|parents|brother|sister|wife|husband|son|daughter|"
        r"grand\w*|best friend|friend|boyfriend|girlfriend|family|kids|children|uncle|aunt)"
        r"\b.*\b(is|are|was|were)\b)",
        s,
    ):
        rel = s.split()[1]
        if re.search(r"\b(is|are) (an? )?\w+(er|or|ist|ian|nurse|chef|cop|doctor)\b", s):
            return ("other", [rel])
        return ("family", [rel])
    if re.search(r"\b(want|wish|hope|dream|would like|plan)\b", s):
        return None
    if m := re.match(r"^my name is (\w+)", s):
        return ("name", [m.group(1)])
    if m := re.search(r"\bi am (\d+|" + "|".join(NUMBER_WORDS) + r")\b", s):
        return ("age", [m.group(1)])
    if m := re.search(r"\b(?:am|come|originally) from (?:the |a |an )?([\w ]+)", s):
        return ("place", [w for w in words(m.group(1)) if w not in STOP_EN][:3])
    if m := re.search(
        r"\b(?:live|living|grew up|was born|reside|moved)\b"
        r"(?: \w+)?? (?:in|on|from|to|near) (?:the |a |an )?([\w ]+)",
        s,
    ):
        return ("place", [w for w in words(m.group(1)) if w not in STOP_EN][:3])
    if re.search(r"\b(do not|never|hate|dislike|can not stand|not a fan)\b", s):
        m = re.search(r"\b(?:like|eat|drink|enjoy|hate|dislike|stand|watch|fan of)\b (.+)", s)
        keys = [lemma_en(w) for w in words(m.group(1)) if w not in STOP_EN] if m else []
        return ("dislike", keys[:2]) if keys else None
    if re.search(r"\b(vegan|vegetarian|pescatarian|gluten|kosher|halal|keto)\b", s):
        return ("diet", re.findall(r"vegan|vegetarian|pescatarian|gluten|kosher|halal|keto", s))
    if m := re.search(
        r"\b(allerg\w*|diabet\w*|asthma|cancer|blind|deaf|disabled|depress\w*|"
        r"anxiety|autis\w*|adhd|wheelchair|sick|illness|disease)\b",
        s,
    ):
        return ("health", [m.group(1)[:6]])
    if m := re.search(
        r"\b(?:i have|i own) (?:a |an |one |two |three |four |five |\d+ )?(?:\w+ )?"
        r"(dogs?|cats?|pets?|horses?|birds?|fish|parrots?|hamsters?|rabbits?|"
        r"snakes?|turtles?|puppy|kitten)\b",
        s,
    ):
        return ("pets", [lemma_en(m.group(1))])
    if m := re.search(
        r"\bi have (?:a |an |one |two |three |four |five |\d+ )?(?:\w+ )?"
        r"(kids?|children|sons?|daughters?|brothers?|sisters?|siblings?|"
        r"husband|wife|boyfriend|girlfriend|twins|grandchildren|parents)\b",
        s,
    ):
        return ("family", [lemma_en(m.group(1))])
    if m := re.search(
        r"\bi am (married|divorced|engaged|single|widowed|a (?:mother|mom|father|"
        r"dad|grandmother|grandfather|grandma|grandpa|parent))\b",
        s,
    ):
        return ("family", [m.group(1).split()[-1]])
    if m := re.search(
        r"\bi (?:work|am working|have worked) (?:as|at|in|for|on) (?:an? |the )?([\w ]+)", s
    ):
        return ("occupation", [w for w in words(m.group(1)) if w not in STOP_EN][:2])
    if m := re.search(
        r"\bi am (?:a |an )(?:\w+ ){0,2}(\w+(?:er|or|ist|ian|ant|ent|man|woman|ess|"
        r"nurse|chef|cop|doctor|student|coach|clerk|judge|pilot|vet|"
        r"surgeon|mechanic|mom))\b",
        s,
    ):
        if m.group(1) in ("fan", "lover", "member", "owner", "beginner", "runner", "collector"):
            keys = [lemma_en(w) for w in words(s)[3:] if w not in STOP_EN and len(w) > 2]
            return ("hobbies", keys[:3]) if keys else None
        else:
            return ("occupation", [m.group(1)])
    if m := re.search(
        r"\b(?:i (?:study|attend|go to|am in|am studying|teach|retired)|"
        r"i am (?:a |an )?(?:\w+ )?(?:student|retired))\b ?([\w ]*)",
        s,
    ):
        keys = [w for w in words(m.group(0)) if w not in STOP_EN and w not in ("am", "go")]
        return ("occupation", keys[-2:]) if keys else None
    if m := re.search(
        r"\b(?:i (?:like|love|enjoy|adore|play|collect|listen to|watch|read|go|"
        r"spend|paint|draw|sing|dance|bake|cook|knit|hike|surf|swim|ride)|"
        r"my (?:hobby|hobbies|favorite \w+|favourite \w+) (?:is|are|include))\b (.+)",
        s,
    ):
        keys = [lemma_en(w) for w in words(m.group(0)) if w not in STOP_EN and len(w) > 2]
        return ("hobbies", keys[:3]) if keys else None
    return None


RU_SUBJECT_SPLIT = re.compile(
    r"(?<=[а-яё\)])\s+(?=(?:я|у меня|мне|мой|моя|мои|люблю|"
    r"работаю|живу|увлекаюсь|обожаю)\b)",
    re.IGNORECASE,
)
RU_FAMILY = set(
    [
        "муж",
        "жена",
        "сын",
        "дочь",
        "дочка",
        "ребенок",
        "дети",
        "брат",
        "сестра",
        "мама",
        "папа",
        "мать",
        "отец",
        "родитель",
        "бабушка",
        "дедушка",
        "внук",
        "внучка",
        "парень",
        "девушка",
        "близнец",
    ]
)
RU_PETS = set(
    [
        "собака",
        "пес",
        "кошка",
        "кот",
        "котик",
        "котенок",
        "щенок",
        "попугай",
        "попугайчик",
        "хомяк",
        "рыбка",
        "черепаха",
        "черепашка",
        "кролик",
        "лошадь",
        "животное",
        "питомец",
        "змея",
    ]
)
RU_NOT_JOB = RU_FAMILY | {"человек", "женщина", "мужчина", "девушка", "парень", "друг", "мать"}


def split_ru(persona: str) -> list[str]:
    """Toloka personas often run sentences together: cut before each new subject."""
    pieces = []
    for part in re.split(r"[.!\n]+", persona):
        for piece in RU_SUBJECT_SPLIT.split(part):
            if pieces and pieces[-1].strip().lower() in ("я", "я не"):
                pieces[-1] = f"{pieces[-1].strip()} {piece.strip()}"
            elif piece.strip():
                pieces.append(piece.strip())
    return pieces


def classify_ru(sentence: str) -> tuple[str, list[str]] | None:
    """(kind, key lemmas) for one Russian persona sentence, or None."""
    s = sentence.lower().strip(" .!").replace("ё", "е")
    ws = words(s)
    lem = [lemma_ru(w) for w in ws]
    if not ws:
        return None
    if re.search(r"\b(мечта|хочу|хотел|планиру|собира|стать)", s) or "нет" in ws:
        return None
    if m := re.search(r"меня зовут (\w+)", s):
        return ("name", [m.group(1)])
    m = re.search(r"мне (\d+|[а-я]+ые?|[а-я]+ть|[а-я]+сят)\b", s)
    if m and (m.group(1).isdigit() or MORPH.parse(m.group(1))[0].tag.POS == "NUMR"):
        return ("age", [m.group(1)])
    if re.search(r"\bне (люблю|нравится|ем|пью|переношу|терплю)|ненавижу", s):
        keys = [
            lemma_ru(w) for w in ws if len(w) > 3 and w not in ("люблю", "нравится", "ненавижу")
        ]
        return ("dislike", keys[:2]) if keys else None
    if m := re.search(
        r"\b(живу|проживаю|родил\w*|вырос\w*) (в|на|во) ([\w ]+)|\bя (из|родом из) ([\w ]+)", s
    ):
        place = (m.group(3) or m.group(5)).split()
        return ("place", [lemma_ru(w) for w in place if len(w) > 2][:2])
    if re.search(r"вегетариан|веган|не ем мяс|сыроед", s):
        return ("diet", [next(w for w in ws if re.match(r"вегетариан|веган|мяс|сыроед", w))[:6]])
    if m := re.search(r"(аллерг\w*|диабет\w*|астм\w*|болею|болезн\w*|инвалид\w*)", s):
        return ("health", [m.group(1)[:6]])
    if re.search(r"\bу меня\b", s) or "есть" in ws:
        for lm in lem:
            if lm in RU_PETS:
                return ("pets", [lm])
            if lm in RU_FAMILY:
                return ("family", [lm])
    if re.search(r"\b(замужем|женат|разведен\w*|вдов\w*)\b", s):
        return ("family", [re.search(r"\b(замужем|женат|разведен\w*|вдов\w*)\b", s).group(1)])
    if m := re.search(r"работаю (?:в|на|во) (\w+)", s):
        return ("occupation", [lemma_ru(m.group(1))])
    if m := re.search(r"работаю (\w+)", s):
        return ("occupation", [lemma_ru(m.group(1))])
    if re.search(r"\bучусь|студент|школьни|пенсионер|на пенсии", s):
        w = next(w for w in ws if re.match(r"уч|студент|школьни|пенси", w))
        return ("occupation", [lemma_ru(w)])
    if ws[0] == "я" and len(ws) <= 3:
        for w in ws[1:]:
            p = MORPH.parse(w)[0]
            if (
                p.tag.POS == "NOUN"
                and "anim" in p.tag
                and "nomn" in p.tag
                and p.normal_form not in RU_NOT_JOB
                and "Name" not in p.tag
            ):
                return ("occupation", [p.normal_form])
    if m := re.search(
        r"\b(люблю|обожаю|нравится|нравятся|увлекаюсь|занимаюсь|играю|хобби|"
        r"коллекционирую|рисую|пою|танцую|вышиваю|вяжу|бегаю|катаюсь)\b(.*)",
        s,
    ):
        rest = [w for w in words(m.group(2)) if len(w) > 2 and w not in ("очень", "меня", "моих")]
        keys = [lemma_ru(w) for w in rest if w != "хобби"][:2] or [lemma_ru(m.group(1))]
        return ("hobbies", keys)
    return None


def topics_of(sentence: str) -> set[str]:
    ws = words(sentence.replace("ё", "е"))
    return {
        topic
        for topic, cues in TOPIC_CUES.items()
        if any(w.startswith(c) for w in ws for c in cues.split())
    }


def own_statements(turns: list[str], language: str) -> set[str]:
    """Lemmas the speaker used in sentences that are not questions."""
    lemma = lemma_en if language == "en" else lemma_ru
    found = set()
    for turn in turns:
        for sentence in re.split(r"(?<=[.!?\n])", turn):
            if "?" in sentence:
                continue
            for w in words(sentence.replace("ё", "е")):
                found.update({w, lemma(w)})
    return found


def label(turns: list[str], persona: list[str], language: str) -> dict:
    said = own_statements(turns, language)
    classify = classify_en if language == "en" else classify_ru
    facts, recall_topics, allowed_topics = [], set(), set()
    for sentence in persona:
        found = classify(sentence)
        topics = topics_of(sentence)
        allowed_topics |= topics
        stated = False
        if found:
            kind, keys = found
            keys = [k for k in keys if k]
            stated = bool(keys) and any(
                k in said or (len(k) >= 5 and any(w.startswith(k[:5]) for w in said)) for k in keys
            )
            facts.append({"kind": kind, "keys": keys, "sentence": sentence, "stated": stated})
        if stated or (
            not found
            and any(
                lemma_en(w) in said or lemma_ru(w) in said for w in words(sentence) if len(w) > 4
            )
        ):
            recall_topics |= topics if not (found and found[0] == "dislike") else set()
    return {
        "facts": facts,
        "topics": sorted(recall_topics),
        "allowed_topics": sorted(allowed_topics),
    }


def english(git_dir: str) -> list[dict]:
    speakers = []
    for day in ("06", "07"):
        path = f"2018/data/export_2018-07-{day}_train.json"
        for dialog in json.loads(git_show(git_dir, CONVAI_COMMIT, path)):
            user = set(words(" ".join(dialog["user_profile"])))
            bot = set(words(" ".join(dialog["bot_profile"])))
            score = {}
            for who in ("participant1", "participant2"):
                said = set(
                    words(" ".join(m["text"] for m in dialog["dialog"] if m["sender"] == who))
                )
                score[who] = len(said & user - STOP_EN) - len(said & bot - STOP_EN)
            human = max(score, key=score.get)
            turns = [m["text"] for m in dialog["dialog"] if m["sender"] == human]
            # The human is the side that talks like the human's persona, clearly.
            if score[human] < 2 or min(score.values()) > 0 or len(turns) < 3:
                continue
            speakers.append(
                {
                    "source": f"{path}#{dialog['dialog_id']}:{human}",
                    "persona": dialog["user_profile"],
                    "turns": turns,
                }
            )
    random.Random(19).shuffle(speakers)
    return speakers[:ENGLISH_SPEAKERS]


def russian(git_dir: str) -> list[dict]:
    speakers = []
    for dialog in json.loads(git_show(git_dir, TOLOKA_COMMIT, "data/dialogues_val.json")):
        who = 1 + dialog["id"] % 2  # one speaker per dialogue, either side
        turns = [m["text"] for m in dialog["dialogue"] if m["speaker"] == who]
        persona = split_ru(dialog[f"persona_{who}"])
        if len(turns) >= 3:
            speakers.append(
                {
                    "source": f"data/dialogues_val.json#{dialog['id']}:{who}",
                    "persona": persona,
                    "turns": turns,
                }
            )
    random.Random(19).shuffle(speakers)
    return speakers[:RUSSIAN_SPEAKERS]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--convai", required=True)
    parser.add_argument("--toloka", required=True)
    args = parser.parse_args()
    for language, speakers, commit, license_ in (
        ("en", english(args.convai), CONVAI_COMMIT, "none stated (repository has no license file)"),
        ("ru", russian(args.toloka), TOLOKA_COMMIT, "MIT, Copyright (c) 2026 Valentin Malykh"),
    ):
        for speaker in speakers:
            speaker.update(label(speaker["turns"], speaker["persona"], language))
        repo = (
            "DeepPavlovAdmin/convai"
            if language == "en"
            else "madrugado/persona-dialogue-summarization"
        )
        out = {
            "source": f"github.com/{repo} at {commit}",
            "license": license_,
            "labelled_by": "bench/real_corpus.py (rules in its docstring)",
            "language": language,
            "speakers": speakers,
        }
        path = DATA / f"real_{language}.json"
        path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        stated = sum(f["stated"] for s in speakers for f in s["facts"])
        print(f"{path}: {len(speakers)} speakers, {stated} stated facts")


if __name__ == "__main__":
    main()
