"""A question, analysed: its language, the words that only frame it, what kind of answer
it asks for, the names it mentions and whether it leans on the turn before it.

Frames ("tell me about", "what happened in", "how many", "what year") shape a question
without saying what it is about: they are left out of the searched terms, so that they
neither pull in passages that merely share them nor count against an answer that does
not repeat them. The answer type they give ("when" asks for a date) weighs in the
choice of sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .analyze import analyzer
from .languages import DEFAULT_LANG, normalize_lang, stopwords
from .normalize import fold

DATE, NUMBER, PERSON, PLACE = "date", "number", "person", "place"


@dataclass(frozen=True)
class Question:
    text: str
    lang: str
    terms: tuple[str, ...]  # content terms, in order, repeats kept (frames left out)
    names: frozenset[str]  # terms of the words written as names (capitalised, acronyms)
    answer_type: str | None  # DATE, NUMBER, PERSON, PLACE or None
    points_back: bool  # a pronoun or "else", "which ones?": needs the previous turn
    words: tuple[tuple[str, str], ...] = ()  # (term, the word it comes from, in lower case), in order

    def word_of(self, term: str) -> str | None:
        """The question's word behind a term: what a person reads instead of a stem."""
        return next((word for t, word in self.words if t == term), None)


@dataclass(frozen=True)
class _Language:
    """Per language: frame phrases (folded words, "|" between alternatives, "?" after an
    optional word), answer-type cues (first words -> type) and words that point back."""

    frames: tuple[str, ...]
    types: tuple[tuple[str, str], ...]
    pointers: frozenset[str]


_EN = _Language(
    frames=(
        "^can|could|would|will you please? tell|explain|describe|say|show|give me? more? about|on?",
        "^please", "^tell me more? about", "^explain|describe to? me?", "^i want|wish|need to know about?",
        "^i would like to know about?", "^what do|can you know|tell me? about", "^give me more? details|information?",
        "^what|how about", "^what happened|happens|happen in|to|at|with|during|on?",
        "^what is|was|are|were known for", "known for", "what else",
        "how big|large|many|much|long|old|far|often|tall|high|wide|deep|small|few",
        "what|which year|date|day|month|decade|century", "in|on what|which year|date|day|month|decade|century",
        "what|which kind|type|sort|form of", "what is|was|are|were the name|names of?", "stand for",
    ),
    types=(("when", DATE), ("what year", DATE), ("which year", DATE), ("what date", DATE), ("in what year", DATE),
           ("in which year", DATE), ("what century", DATE), ("how many", NUMBER), ("how much", NUMBER),
           ("how long", NUMBER), ("how old", NUMBER), ("how big", NUMBER), ("how large", NUMBER),
           ("how high", NUMBER), ("how far", NUMBER), ("how tall", NUMBER), ("what percentage", NUMBER),
           ("who", PERSON), ("whom", PERSON), ("whose", PERSON), ("where", PLACE)),
    pointers=frozenset("he she it they them him his her hers its their theirs this that these those there then "
                       "else other others same ones former latter".split()),
)

_FR = _Language(
    frames=("^pouvez|peux vous|tu me? dire|expliquer|decrire", "^dis|dites moi", "^parle|parlez moi de|du|des?",
            "^qu est ce que|qui", "^qu est il arrive a|au?", "combien de?", "en quelle annee", "quelle annee",
            "quel|quelle type|sorte|genre de", "s il vous|te plait"),
    types=(("quand", DATE), ("en quelle annee", DATE), ("quelle annee", DATE), ("combien", NUMBER),
           ("qui", PERSON), ("ou", PLACE)),
    pointers=frozenset("il elle ils elles lui leur leurs ce cela ca celui celle ceux celles la y en autre autres "
                       "meme".split()),
)

_PL = _Language(
    frames=("^powiedz|opowiedz mi? o|cos?", "^czy mozesz|mozna powiedziec|wyjasnic", "^co sie stalo w?",
            "w ktorym roku", "ile", "jaki|jaka|jakie rodzaj|typ"),
    types=(("kiedy", DATE), ("w ktorym roku", DATE), ("ile", NUMBER), ("kto", PERSON), ("kogo", PERSON),
           ("gdzie", PLACE)),
    pointers=frozenset("on ona ono oni one jego jej ich tam ten ta to te tego tej inne inny inni".split()),
)

_LANGUAGES = {"en": _EN, "fr": _FR, "pl": _PL}
_NONE = _Language((), (), frozenset())


_TOKEN = re.compile(r"[^\W_]+")


_Frame = tuple[bool, tuple[tuple[frozenset[str], bool], ...]]


@cache
def _frame_patterns(lang: str) -> tuple[_Frame, ...]:
    """Each frame as (only at the start, its (alternatives, optional) word slots)."""
    patterns = []
    for frame in _LANGUAGES.get(lang, _NONE).frames:
        slots = []
        for slot in frame.lstrip("^").split():
            optional = slot.endswith("?")
            slots.append((frozenset(fold(slot.rstrip("?")).split("|")), optional))
        patterns.append((frame.startswith("^"), tuple(slots)))
    return tuple(sorted(patterns, key=lambda p: len(p[1]), reverse=True))


def _match(slots, words: list[str], at: int) -> int:
    """How many words from `at` the frame covers (0: no match). Greedy: an optional slot
    takes its word when it can."""
    i = at
    for alternatives, optional in slots:
        if i < len(words) and words[i] in alternatives:
            i += 1
        elif not optional:
            return 0
    return i - at


def frame_words(lang: str, words: list[str]) -> set[int]:
    """Positions of the words that only frame the question. A frame marked "^" counts
    only at the start ("Describe the plan" frames; "How did they describe it" does not)."""
    dropped: set[int] = set()
    patterns = _frame_patterns(lang)
    at = 0
    while at < len(words):
        leading = at == 0 or at - 1 in dropped
        covered = max((_match(slots, words, at) for start, slots in patterns if leading or not start), default=0)
        if covered:
            dropped.update(range(at, at + covered))
            at += covered
        else:
            at += 1
    return dropped


def detect_language(text: str, langs: list[str] | tuple[str, ...]) -> str:
    """The language among `langs` whose stopwords the question uses most; with no clear
    winner, English if offered, else the first one."""
    langs = list(dict.fromkeys(normalize_lang(lang) for lang in langs)) or [DEFAULT_LANG]
    fallback = DEFAULT_LANG if DEFAULT_LANG in langs else langs[0]
    if len(langs) == 1:
        return langs[0]
    tokens = [fold(t) for t in _TOKEN.findall(text)]
    counts = {lang: sum(1 for t in tokens if t in stopwords(lang) or t in _LANGUAGES.get(lang, _NONE).pointers)
              for lang in langs}
    best = max(counts.values())
    winners = [lang for lang, n in counts.items() if n == best]
    if best == 0 or len(winners) > 1:
        return fallback if fallback in winners or best == 0 else winners[0]
    return winners[0]


def _answer_type(lang: str, words: list[str]) -> str | None:
    spoken = " ".join(words)
    best = None
    for cue, kind in _LANGUAGES.get(lang, _NONE).types:
        # A cue counts at the start or after a comma-less lead ("In 2010, who ...": anywhere).
        if re.search(rf"(?:^| ){re.escape(cue)}(?: |$)", spoken) and (best is None or len(cue) > len(best[0])):
            best = (cue, kind)
    return best[1] if best else None


def analyse_question(text: str, langs: list[str] | tuple[str, ...] = (DEFAULT_LANG,)) -> Question:
    lang = detect_language(text, langs)
    spec = _LANGUAGES.get(lang, _NONE)
    raw = _TOKEN.findall(text)
    words = [fold(t) for t in raw]
    dropped = frame_words(lang, words)
    an = analyzer(lang)
    kept = [w for i, w in enumerate(words) if i not in dropped]
    terms = an.terms(" ".join(kept))
    searched_all = not terms
    if searched_all:  # a question that is all frame ("What happened?"): search its words anyway
        terms = an.terms(" ".join(words))
    spelled = tuple((term, token.lower()) for i, token in enumerate(raw) if searched_all or i not in dropped
                    for term in an.terms(token))
    names = set()
    for i, token in enumerate(raw):
        if i in dropped:
            continue
        written_as_name = (i > 0 and token[:1].isupper()) or (len(token) > 1 and token.isupper()) \
            or any(c.isdigit() for c in token)
        if written_as_name and fold(token) not in spec.pointers:
            names.update(an.terms(token))
    points_back = any(w in spec.pointers for w in words)
    return Question(text, lang, tuple(terms), frozenset(names), _answer_type(lang, words), points_back, spelled)


_YEAR = re.compile(r"\b(?:1[0-9]{3}|20[0-9]{2})s?\b")
_MONTHS = re.compile(r"\b(?:january|february|march|april|may|june|july|august|september|october|november|"
                     r"december|janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|"
                     r"decembre|stycz|lut|marz|kwie|maj|czerw|lip|sierp|wrze|pazdz|listop|grud)\w*", re.I)
_NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
                     r"fifty|hundred|thousand|million|billion|dozen|half|un|deux|trois|quatre|cinq|dix|cent|mille|"
                     r"jeden|dwa|trzy|cztery|piec|dziesiec|sto|tysiac)\w*\b", re.I)
_NAME = re.compile(r"\b[A-Z\u00c0-\u00de][^\W_]+")


def has_answer_type(text: str, answer_type: str | None, question: Question | None = None) -> bool:
    """Whether a sentence holds what the question asks for: a date or year, a number, a
    name (capitalised, not one of the question's own) for who / where."""
    if answer_type is None:
        return False
    if answer_type == DATE:
        return bool(_YEAR.search(text) or _MONTHS.search(fold(text)))
    if answer_type == NUMBER:
        return bool(_NUMBER.search(fold(text)))
    own = question.names if question else frozenset()
    an = analyzer(question.lang if question else DEFAULT_LANG)
    for match in _NAME.finditer(text):
        if match.start() == 0 or text[:match.start()].rstrip().endswith((".", "!", "?")):
            continue  # a capital that starts a sentence says nothing
        if not own.intersection(an.terms(match.group())):
            return True
    return False
