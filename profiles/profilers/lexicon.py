"""Word lists the rules profiler reads people's words with, each from a general source.

Every entry is a dictionary form (a lemma); the profiler lemmatises both these words and
what people write (simplemma for English, pymorphy3 for Russian), so "kids", "детей" and
"Kids" all meet "kid" / "ребёнок". No sentence of any conversation corpus is copied here:
the lists come from the sources named above each one.
"""

from django.utils.translation import gettext_noop

# Occupation titles. English: unit-group and common job titles of the International Standard
# Classification of Occupations (ISCO-08, ILO) and O*NET's "common titles"; Russian: the
# titles of the Общероссийский классификатор занятий (ОК 010-2014, the Russian ISCO-08) and
# their everyday feminine forms.
OCCUPATIONS_EN = frozenset(
    """
accountant actor actress administrator agent analyst anesthesiologist animator architect
artist assistant astronaut athlete attorney auditor author baker banker barber bartender
barista beautician biologist blacksmith bookkeeper builder bus driver butcher butler
buyer captain caregiver carpenter cashier caterer ceo chef chemist chiropractor cleaner
clerk coach comedian composer consultant contractor cook counselor courier craftsman
dancer dentist designer detective developer dietitian diplomat director dispatcher doctor
driver economist editor electrician engineer entrepreneur esthetician farmer
firefighter fisherman flight attendant florist freelancer gardener geologist graphic designer
guard guide hairdresser hairstylist handyman historian housekeeper homemaker housewife
illustrator inspector instructor interpreter investor janitor jeweler journalist judge
laborer landscaper lawyer lecturer librarian lifeguard linguist locksmith logistician
machinist maid manager marketer mason mathematician mechanic medic midwife miner model
musician nanny navigator nurse nutritionist officer optician painter paralegal paramedic
pharmacist photographer physician physicist physiotherapist pilot plumber poet police
policeman policewoman politician postman priest principal producer professor programmer
psychiatrist psychologist publisher rancher realtor receptionist recruiter reporter
researcher sailor salesman saleswoman scientist sculptor secretary security guard server
sheriff singer social worker software engineer soldier statistician stockbroker
supervisor surgeon surveyor tailor teacher technician therapist trader translator
truck driver tutor typist veterinarian vet waiter waitress web developer welder writer
zoologist cop marine ranger trucker bricklayer roofer stylist scholar pastor rabbi imam
streamer youtuber blogger vlogger influencer wrestler athlete player banker
""".split()
)
OCCUPATION_PHRASES_EN = {
    "bus driver", "flight attendant", "graphic designer", "security guard", "social worker",
    "software engineer", "truck driver", "web developer", "real estate agent", "stay at home",
    "stay-at-home mom", "stay-at-home dad", "police officer",
}  # fmt: skip
# Fields and workplaces after "I work in/at": ISCO-08 major groups and ISIC sections, in
# their everyday names.
WORK_FIELDS_EN = frozenset(
    """
agriculture banking construction consulting education engineering finance healthcare
hospitality insurance it law logistics manufacturing marketing media medicine mining
retail sales tech technology tourism transport accounting advertising fashion
hospital school bank restaurant factory office store shop farm clinic hotel bakery
library bar cafe pharmacy warehouse garage salon university college lab laboratory
daycare kindergarten army navy military government
""".split()
)

OCCUPATIONS_RU = frozenset(
    """
актёр актриса администратор адвокат агроном аналитик архитектор бармен бариста бухгалтер
водитель воспитатель воспитательница врач геолог гид грузчик дворник дизайнер диспетчер
директор журналист инженер кассир кондитер консультант курьер лаборант лётчик логист
менеджер массажист мастер механик медсестра медбрат музыкант научный сотрудник нотариус
няня официант официантка охранник парикмахер пекарь переводчик переводчица пилот писатель
плотник повар пожарный полицейский портной почтальон программист продавец продавщица
прораб психолог режиссёр ректор санитар сантехник секретарь слесарь сиделка строитель
стилист стоматолог судья таксист тренер уборщик уборщица учитель учительница фармацевт
фермер фотограф фельдшер хирург художник швея штукатур экономист электрик юрист
военнослужащий военный предприниматель библиотекарь ветеринар визажист моряк шахтёр
рабочий токарь сварщик маляр каменщик садовник певец певица танцор танцовщица
преподаватель профессор учёный инструктор космонавт пенсионер пенсионерка домохозяйка
фрилансер блогер оператор монтажник спасатель хореограф сотрудник специалист кинолог
""".split()
)
STUDIES_RU = {"студент", "студентка", "школьник", "школьница", "аспирант", "аспирантка",
              "курсант", "ученик", "ученица", "первокурсник", "первокурсница"}  # fmt: skip
STUDIES_EN = {"student", "undergrad", "undergraduate", "grad", "freshman", "sophomore",
              "senior", "junior", "pupil", "phd"}  # fmt: skip
WORK_PLACES_RU = frozenset(
    """
больница поликлиника школа завод фабрика офис магазин банк ресторан кафе университет
институт библиотека аптека склад салон полиция армия компания фирма стройка садик
детский лаборатория ферма гостиница театр музей редакция типография
""".split()
)

# Relatives and partners, pets: kinship terms of the English and Russian dictionaries
# (Merriam-Webster's and Ожегов's kinship entries) and the common household animals.
FAMILY_EN = frozenset(
    """
husband wife partner boyfriend girlfriend fiance fiancee spouse kid child son daughter baby
toddler twin mom mum mother dad father parent stepmom stepdad stepson stepdaughter brother
sister sibling grandma grandmother grandpa grandfather grandparent grandson granddaughter
grandchild grandkid aunt uncle cousin nephew niece family
""".split()
)
FAMILY_RU = frozenset(
    """
муж жена супруг супруга партнёр парень девушка жених невеста ребёнок дети сын дочь дочка
сынок малыш близнец двойняшка сестрёнка братик доченька сыночек мама мать папа отец
родитель брат сестра бабушка дедушка
внук внучка тётя дядя племянник племянница семья
""".split()
)
PETS_EN = frozenset(
    """
dog puppy cat kitten pet horse pony bird parrot fish goldfish hamster rabbit bunny turtle
tortoise snake lizard ferret guinea pig chicken goat
""".split()
)
PETS_RU = frozenset(
    """
собака пёс щенок кошка кот котик котёнок попугай попугайчик рыбка хомяк хомячок кролик
черепаха черепашка змея ящерица шиншилла морская свинка лошадь питомец животное
""".split()
)
FAMILY_STATUS_EN = {"married", "divorced", "engaged", "single", "widowed", "pregnant"}
FAMILY_STATUS_RU = {"замужем", "женат", "разведён", "разведена", "вдова", "вдовец", "холост",
                    "беременна", "помолвлен", "помолвлена"}  # fmt: skip

# Diets, allergens and health conditions: the common diets, the major food allergens (EU
# Regulation 1169/2011 Annex II, FDA's major allergens) and everyday names of chronic
# conditions (ICD-10 chapter titles in lay words).
DIETS_EN = {"vegan", "vegetarian", "pescatarian", "keto", "kosher", "halal", "gluten-free"}
DIETS_RU = {"веган", "веганка", "вегетарианец", "вегетарианка", "сыроед", "сыроедка"}
CONDITIONS_EN = frozenset(
    """
diabetes asthma epilepsy arthritis cancer depression anxiety adhd autism migraine migraines
celiac hypertension insomnia dyslexia ptsd ocd bipolar copd lupus eczema psoriasis
""".split()
)
CONDITION_ADJECTIVES_EN = {"diabetic": "diabetes", "epileptic": "epilepsy", "deaf": "deaf",
                           "blind": "blind", "asthmatic": "asthma", "autistic": "autism",
                           "celiac": "celiac disease"}  # fmt: skip
CONDITIONS_RU = frozenset(
    """
диабет астма эпилепсия артрит рак депрессия тревожность мигрень гипертония бессонница
дислексия псориаз экзема гастрит давление
""".split()
)

# Places when no gazetteer entry matches: the general nouns for where one lives.
PLACE_NOUNS_EN = frozenset(
    """
city town village country countryside suburb suburbs farm state area apartment house flat
cabin island coast mountains desert woods forest capital neighborhood
""".split()
)
PLACE_NOUNS_RU = frozenset(
    """
город деревня село посёлок страна область край столица пригород дом квартира общежитие
центр окраина район остров побережье
""".split()
)

# Topics: everyday interests, grouped as a newspaper's or a library's sections group them
# (the Dewey classes and the sections of a general newspaper), in dictionary forms. Words
# that are also something else ("mercury", «луна») count for astrology only together with a
# second such word (see rules.AMBIGUOUS).
TOPIC_WORDS: dict[str, tuple[str, ...]] = {
    gettext_noop("programming"): (
        "python", "code", "coding", "program", "programming", "django", "javascript", "bug",
        "debug", "api", "database", "sql", "function", "compile", "compiler", "git", "rust",
        "software", "developer", "java", "typescript", "server", "script", "algorithm",
        "код", "программа", "программирование", "программист", "функция", "ошибка", "питон",
        "база", "сервер", "скрипт", "алгоритм", "разработка",
    ),
    gettext_noop("data and science"): (
        "dataset", "statistics", "math", "mathematics", "physics", "chemistry", "biology",
        "research", "experiment", "science", "astronomy", "space", "статистика", "математика",
        "физика", "химия", "биология", "наука", "исследование", "эксперимент", "астрономия",
        "космос",
    ),
    gettext_noop("work and career"): (
        "job", "career", "interview", "salary", "boss", "colleague", "promotion", "resume",
        "profession", "burnout", "профессия", "выгорание",
        "работа", "карьера", "собеседование", "зарплата", "начальник", "коллега", "резюме",
    ),
    gettext_noop("health and fitness"): (
        "health", "doctor", "sleep", "diet", "exercise", "workout", "gym", "fitness",
        "allergy", "allergic", "diabetes", "asthma", "medicine", "anxiety", "stress", "pain",
        "тревожность", "стресс", "боль", "здоровье", "врач", "сон",
        "диета", "тренировка", "фитнес", "аллергия", "диабет", "астма", "лекарство",
    ),
    gettext_noop("travel"): (
        "travel", "traveling", "travelling", "trip", "flight", "hotel", "visa", "vacation",
        "holiday",
        "tour", "abroad", "путешествие", "путешествовать", "поездка", "перелёт", "отель",
        "виза", "отпуск", "туризм", "заграница",
    ),
    gettext_noop("food and cooking"): (
        "food", "cook", "cooking", "recipe", "bake", "baking", "dinner", "lunch", "restaurant",
        "coffee", "tea", "pizza", "pasta", "chocolate", "cake", "sushi", "burger", "steak",
        "vegan", "vegetarian", "meat", "pork", "seafood", "dairy", "sugar", "alcohol",
        "cheese", "wine", "beer", "cuisine", "dessert",
        "еда", "готовить", "рецепт", "ужин", "обед", "ресторан", "кофе", "чай", "пицца",
        "шоколад", "торт", "выпечка", "кухня", "мясо", "сыр", "вино", "пиво", "десерт",
        "мороженое", "суши", "кулинария", "вегетарианец", "печь", "пирог", "выпечка",
    ),
    gettext_noop("money and finance"): (
        "money", "budget", "invest", "investing", "stock", "tax", "loan", "mortgage", "bank",
        "crypto", "bitcoin", "savings", "pay", "деньги", "бюджет", "инвестиция", "акция", "налог",
        "кредит", "ипотека", "банк", "биткоин", "сбережение",
    ),
    gettext_noop("learning and education"): (
        "learn", "study", "course", "exam", "учить", "выучить", "school", "university", "college",
        "lesson",
        "homework", "degree", "учиться", "изучать", "курс", "экзамен", "школа",
        "университет", "урок", "институт", "учёба", "диплом",
    ),
    gettext_noop("family"): (
        "family", "wife", "husband", "kid", "child", "son", "daughter", "parent", "mom", "dad",
        "pregnant", "pregnancy", "baby", "семья", "жена", "муж", "ребёнок", "сын", "дочь",
        "беременность", "родитель", "мама", "папа", "малыш", "брат", "сестра", "бабушка",
        "дедушка", "внук", "внучка", "brother", "sister", "grandma", "grandpa", "grandchild",
    ),
    gettext_noop("relationships and feelings"): (
        "relationship", "girlfriend", "boyfriend", "lonely", "loneliness", "argue", "breakup",
        "divorce", "dating", "friend", "friendship", "partner", "отношения",
        "ссориться", "ссора", "одинокий", "одиночество", "обижаться", "любовь", "расставание",
        "развод", "партнёр", "друг", "дружба",
    ),
    gettext_noop("astrology and esoterics"): (
        "astrology", "horoscope", "zodiac", "natal", "tarot", "retrograde", "crystal",
        "meditation", "meditate", "aries", "gemini", "scorpio", "астрология", "гороскоп",
        "зодиак", "натальный", "таро", "ретроградный", "кристалл", "медитация", "расклад",
    ),
    gettext_noop("music and arts"): (
        "music", "song", "guitar", "piano", "violin", "drum", "sing", "singing", "band",
        "concert", "jazz", "rock", "rap", "pop", "hip-hop", "metal", "classical", "opera",
        "paint", "painting", "draw", "drawing", "art", "museum", "theater", "dance", "dancing",
        "photography", "knitting", "crochet", "craft", "музыка", "песня", "гитара",
        "пианино", "скрипка", "петь", "концерт", "джаз", "рок", "рэп", "опера", "рисовать",
        "живопись", "искусство", "музей", "театр", "танец", "танцевать", "фотография",
        "вязать", "вышивать", "вышивка", "рукоделие",
    ),
    gettext_noop("films and series"): (
        "movie", "film", "cinema", "series", "episode", "sitcom", "netflix", "documentary",
        "anime", "cartoon", "фильм", "кино", "сериал", "серия", "мультфильм", "аниме",
    ),
    gettext_noop("books and reading"): (
        "book", "novel", "reading", "author", "science fiction",
        "poetry", "poem", "library", "fantasy",
        "книга", "роман", "читать", "чтение", "писатель", "поэзия", "стихи", "библиотека",
        "фэнтези", "фанфик",
    ),
    gettext_noop("sports"): (
        "sport", "football", "soccer", "basketball", "baseball", "hockey", "tennis", "golf",
        "swim", "swimming", "running", "jog", "jogging", "ski", "skiing", "yoga",
        "marathon", "hike", "hiking", "climbing", "rock climbing",
        "ice skating", "surf", "surfing", "boxing", "cycling",
        "volleyball", "wrestling", "nascar", "ufc", "спорт", "футбол", "баскетбол", "хоккей",
        "теннис", "гольф", "плавание", "плавать", "бег", "бегать", "лыжи", "йога", "марафон",
        "поход", "бокс", "велосипед", "волейбол", "борьба", "дзюдо", "каратэ", "спортзал",
        "коньки",
    ),
    gettext_noop("games"): (
        "game", "gaming", "video game", "board game", "chess",
        "playstation", "xbox", "nintendo", "poker", "игра",
        "шахматы", "нарды", "покер", "преферанс", "приставка",
    ),
    gettext_noop("pets and animals"): (
        "dog", "puppy", "cat", "kitten", "pet", "horse", "parrot", "hamster", "rabbit",
        "animal", "собака", "щенок", "кошка", "кот", "котёнок", "питомец", "лошадь",
        "попугай", "попугайчик", "хомяк", "кролик", "животное", "корм",
    ),
    gettext_noop("cars"): (
        "car", "truck", "engine", "brake", "motorcycle", "drive", "driving", "машина",
        "автомобиль", "двигатель", "мотоцикл", "тормоз",
    ),
    gettext_noop("gardening and nature"): (
        "garden", "gardening", "plant", "flower", "tomato", "rose", "seed", "fishing",
        "hunting", "camping", "nature", "forest", "сад", "огород", "растение", "цветок",
        "помидор", "рассада", "рыбалка", "охота", "природа", "лес", "дача",
    ),
    gettext_noop("fashion and beauty"): (
        "fashion", "clothes", "dress", "makeup", "shopping", "style", "мода", "одежда",
        "платье", "макияж", "шопинг", "косметика",
    ),
}  # fmt: skip
AMBIGUOUS = {
    gettext_noop("astrology and esoterics"): (
        "venus", "mercury", "moon", "mars", "scorpion", "луна", "венера", "меркурий",
        "скорпион", "овен", "марс", "лев", "близнецы", "рак", "весы",
    ),
}  # fmt: skip


def _with_e(words: frozenset[str] | set[str]) -> frozenset[str]:
    """Russian is written with and without "ё"; every list holds both spellings."""
    return frozenset(words) | frozenset(w.replace("ё", "е") for w in words)


OCCUPATIONS_RU = _with_e(OCCUPATIONS_RU)
STUDIES_RU = _with_e(STUDIES_RU)
WORK_PLACES_RU = _with_e(WORK_PLACES_RU)
FAMILY_RU = _with_e(FAMILY_RU)
PETS_RU = _with_e(PETS_RU)
FAMILY_STATUS_RU = _with_e(FAMILY_STATUS_RU)
DIETS_RU = _with_e(DIETS_RU)
CONDITIONS_RU = _with_e(CONDITIONS_RU)
PLACE_NOUNS_RU = _with_e(PLACE_NOUNS_RU)
