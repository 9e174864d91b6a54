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
from functools import cache, lru_cache

from ..errors import QuestionError
from .acronyms import acronyms, spells_out
from .analyze import analyzer
from .frames import frame_words
from .languages import DEFAULT_LANG, normalize_lang, stopwords
from .normalize import fold
from .question_words import DATE, EXPANSION, NUMBER, PERSON, PLACE  # noqa: F401 (the answer types, for callers)
from .question_words import LANGUAGES as _LANGUAGES
from .question_words import NONE as _NONE


@dataclass(frozen=True)
class Question:
    text: str
    lang: str
    terms: tuple[str, ...]  # content terms, in order, repeats kept (frames left out)
    names: frozenset[str]  # terms of the words written as names (capitalised, acronyms)
    answer_type: str | None  # DATE, NUMBER, PERSON, PLACE, EXPANSION or None
    points_back: bool  # a pronoun or "else", "which ones?": needs the previous turn
    words: tuple[tuple[str, str], ...] = ()  # (term, the word it comes from, in lower case), in order
    # All its words frame it ("What else?", "What happened?"): `terms` are those words, searched
    # only when there is no previous turn to lean on.
    all_frame: bool = False
    wants_more: bool = False  # it asks for more than was shown ("What else?", "Who else took part?")
    # Where every noun has a capital (German): the capitalised words read as nouns ("die
    # Projekte"), not names. One the corpus never uses may be a name it lacks ("die Ukraine"):
    # the core, which knows the corpus, takes it for one (core.Assistant._retrieve_in).
    nouns: frozenset[str] = frozenset()

    def word_of(self, term: str) -> str | None:
        """The question's word behind a term: what a person reads instead of a stem."""
        return next((word for t, word in self.words if t == term), None)




_TOKEN = re.compile(r"[^\W_]+")


# A language whose stopwords a question uses at least this share as often as the likeliest
# one's may be its language too: neighbouring languages share many ("de", "la", "en" are
# Spanish and French), and their lists are of unequal length.
NEAR_SHARE = 0.5


def candidate_languages(text: str, langs: list[str] | tuple[str, ...]) -> list[str]:
    """The languages among `langs` the question may be in, the likeliest first: those whose
    stopwords it uses most, and those it uses nearly as many of. A question with none of
    any language's ("jardins partagés Lyon", "Guillotière") may be in any of them; on a tie
    English comes first if offered, else the order given."""
    langs = list(dict.fromkeys(normalize_lang(lang) for lang in langs)) or [DEFAULT_LANG]
    if len(langs) == 1:
        return langs
    tokens = [fold(t) for t in _TOKEN.findall(text)]
    counts = {lang: _stopword_count(lang, tokens) for lang in langs}
    best = max(counts.values())
    near = [lang for lang in langs if counts[lang] >= NEAR_SHARE * best]
    return sorted(near, key=lambda lang: (-counts[lang], lang != DEFAULT_LANG))


def detect_language(text: str, langs: list[str] | tuple[str, ...]) -> str:
    """The likeliest language of the question among `langs` (see candidate_languages)."""
    return candidate_languages(text, langs)[0]


@cache
def _type_cues(lang: str) -> tuple[dict[tuple[str, ...], tuple[int, str]], int]:
    """Each cue's words -> (its place in the list, its type); the longest cue's word count."""
    cues: dict[tuple[str, ...], tuple[int, str]] = {}
    for i, (cue, kind) in enumerate(_LANGUAGES.get(lang, _NONE).types):
        cues.setdefault(tuple(cue.split()), (i, kind))
    return cues, max((len(c) for c in cues), default=0)


def _answer_type(lang: str, words: list[str]) -> str | None:
    """The type of the longest cue among the words (the first listed on a tie). A cue counts
    anywhere, not only at the start ("In 2010, who ...")."""
    cues, longest = _type_cues(lang)
    best: tuple[int, int, str] | None = None  # (characters, -place, type)
    expansion = False  # asked for only where no other cue is (see question_words.EXPANSION)
    for at in range(len(words)):
        for n in range(1, longest + 1):
            found = cues.get(tuple(words[at:at + n])) if at + n <= len(words) else None
            if found is not None and found[1] == EXPANSION:
                expansion = True
            elif found is not None:
                key = (len(" ".join(words[at:at + n])), -found[0], found[1])
                best = key if best is None or key > best else best
    if best is not None and best[2]:
        return best[2]
    return EXPANSION if expansion else None  # best[2] == "": a cue of no type


@cache
def _refer_back(lang: str) -> frozenset[str]:
    spec = _LANGUAGES.get(lang, _NONE)
    return spec.pointers | spec.definite


def refers_back(sentence: str, lang: str) -> bool:
    """Whether a sentence starts by pointing back ("He", "It", "The city"): it is about what
    the sentence before it named, though it may not name it again."""
    first = _TOKEN.match(sentence.lstrip())
    return first is not None and fold(first.group()) in _refer_back(lang)


@cache
def _swapped_asking(lang: str) -> dict[str, str]:
    """Question words with two neighbouring letters swapped -> the word ("whta" -> "what"):
    the commonest typo, in the word a question starts with (only there: a swap may be a
    word of its own elsewhere, as French "combine"). A swap that is a stopword of the
    language is left alone; the typo tolerance over the corpus's vocabulary
    (search/fuzzy.py) leaves words this short alone."""
    spec = _LANGUAGES.get(lang, _NONE)
    taken = set(stopwords(lang)) | set(spec.asking)
    swaps: dict[str, str] = {}
    for word in spec.asking:
        for i in range(len(word) - 1):
            swapped = word[:i] + word[i + 1] + word[i] + word[i + 2:]
            if swapped not in taken:
                swaps.setdefault(swapped, word)
    return swaps


# Languages a question may be asked in over documents in another (a French-speaking
# official asking about English reports): the EU's, where Snowball and stop-words have lists.
ASKED_LANGUAGES = ("cs", "da", "de", "el", "en", "es", "fi", "fr", "hu", "it", "nl", "pl", "pt", "ro", "sv")
# A question with at least this share of its words stopwords of the documents' language is
# in that language (most questions): the other languages' lists are not even read.
OWN_STOPWORD_SHARE = 0.3


@cache
def _telling(lang: str) -> frozenset[str]:
    """The words that tell a question's language: its stopwords, pointers and question words."""
    spec = _LANGUAGES.get(lang, _NONE)
    return stopwords(lang) | spec.pointers | frozenset(spec.asking)


def _stopword_count(lang: str, words: list[str]) -> int:
    listed = _telling(lang)
    return sum(1 for w in words if w in listed)


def asked_language(words: list[str], lang: str) -> str | None:
    """The language of a question whose folded `words` are clearly not in `lang`, the
    documents' language: another language's stopwords are at least two and more than
    twice `lang`'s ("Qu'est-ce qui a été créé à Kavala ?": French, though "a" is English).
    None when the question may well be in `lang`."""
    own = _stopword_count(lang, words)
    if not words or own >= OWN_STOPWORD_SHARE * len(words):
        return None
    counts = {other: _stopword_count(other, words) for other in ASKED_LANGUAGES if other != lang}
    best = max(counts, key=lambda other: counts[other], default=None)
    if best is None or counts[best] < 2 or counts[best] <= 2 * own:
        return None
    return best


def analyse_question(text: str, langs: list[str] | tuple[str, ...] = (DEFAULT_LANG,)) -> Question:
    lang = detect_language(text, langs)
    raw = _TOKEN.findall(text)
    words = [fold(t) for t in raw]
    # A question in a language none of the documents is in is read with its own language's
    # frames, stopwords and pointers, and its other words are searched as the documents'
    # language stems them: names and shared words ("Kavala", "URBACT", "innovation") still
    # find their passages, and "est", "qui" no longer count as words the passage lacks.
    asked = asked_language(words, lang)
    spec = _LANGUAGES.get(asked or lang, _NONE)
    if words:
        words[0] = _swapped_asking(asked or lang).get(words[0], words[0])
    dropped = frame_words(asked or lang, words) | {i for i, w in enumerate(words) if w in spec.unsearched}
    if asked:
        dropped |= {i for i, w in enumerate(words) if w in stopwords(asked) or w in spec.pointers}
    an = analyzer(lang)
    # "Who else took part?": "else" asks for more of the subject; it is no word to find.
    kept = [i for i, w in enumerate(words) if i not in dropped and w not in spec.more]
    terms = an.terms(" ".join(words[i] for i in kept))
    searched_all = not terms
    if searched_all:  # a question that is all frame ("What happened?"): search its words anyway
        terms = an.terms(" ".join(words))
    shown = range(len(raw)) if searched_all else kept
    spelled = tuple((term, raw[i].lower()) for i in shown for term in an.terms(raw[i]))
    names: set[str] = set()
    nouns: set[str] = set()
    joined = _hyphen_joined(text) if spec.noun_markers else frozenset()
    for i, token in enumerate(raw):
        if i in dropped:
            continue
        written_as_name = (i > 0 and token[:1].isupper()) or (len(token) > 1 and token.isupper()) \
            or any(c.isdigit() for c in token)
        if written_as_name and fold(token) not in spec.pointers:
            read_as = _read_as_noun(raw, words, i, spec, an, joined)
            if read_as != NOUN:
                (nouns if read_as == NOUN_OR_NAME else names).update(an.terms(token))
    points_back = any(w in spec.pointers for w in words)
    answer_type = _answer_type(asked or lang, words)
    if answer_type == EXPANSION and not acronyms(text):  # "What does it mean?": no acronym to spell out
        answer_type = None
    return Question(text, lang, tuple(terms), frozenset(names), answer_type, points_back,
                    spelled, searched_all, any(w in spec.more for w in words), frozenset(nouns - names))


NOUN, NOUN_OR_NAME = "noun", "noun or name"


def _read_as_noun(raw: list[str], words: list[str], i: int, spec, an, joined: frozenset[int]) -> str | None:
    """Whether a capitalised word is a noun where every noun has a capital: NOUN after one of
    the language's noun markers ("viel Geld"), or a marker and one lower-case word that is
    no stopword (an adjective: "seine neuen Projekte"; not "das in Freiburg"), or as the part
    after a hyphen of a compound ("URBACT-Programm" is a Programm); NOUN_OR_NAME after an
    article ("die Projekte", but "die Ukraine"); None (a name) else. An acronym is a name."""
    if not spec.noun_markers or i == 0 or raw[i].isupper():
        return None
    if i in joined:
        return NOUN
    for markers, reading in ((spec.noun_markers, NOUN), (spec.articles, NOUN_OR_NAME)):
        if words[i - 1] in markers or (i > 1 and words[i - 2] in markers and raw[i - 1].islower()
                                       and bool(an.terms(raw[i - 1]))):
            return reading
    return None


def _hyphen_joined(text: str) -> frozenset[int]:
    """The positions (among _TOKEN's tokens) of the tokens a hyphen joins to the one before."""
    spans = [m.span() for m in _TOKEN.finditer(text)]
    return frozenset(i for i in range(1, len(spans)) if text[spans[i - 1][1]:spans[i][0]] == "-")


_YEAR = re.compile(r"\b(?:1[0-9]{3}|20[0-9]{2})s?\b")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"\b[A-Z\u00c0-\u00de][^\W_]+")
# Per language: month names (Polish ones by their stems: they inflect), number words.
_MONTHS = {
    "en": "january february march april may june july august september october november december",
    "fr": "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre",
    "pl": "stycz lut marz kwie maj czerw lip sierp wrze pazdz listop grud",
}
_NUMBER_WORDS = {
    "en": "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
          "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds "
          "thousand thousands million millions billion billions dozen dozens half",
    "fr": "zero un une deux trois quatre cinq six sept huit neuf dix onze douze vingt trente quarante cinquante "
          "soixante cent cents mille million millions milliard milliards",
    "pl": "zero jeden jedna dwa dwie trzy cztery piec szesc siedem osiem dziewiec dziesiec sto tysiac tysiace tysiecy "
          "milion miliony milionow",
}


@cache
def _month_pattern(lang: str) -> re.Pattern[str] | None:
    months = _MONTHS.get(lang)
    if months is None:
        return None
    stems = lang == "pl"
    return re.compile(rf"\b(?:{'|'.join(months.split())}){'[a-z]*' if stems else ''}\b")


def _own_words(question: Question | None) -> frozenset[str]:
    """The question's words, folded: a number or name it writes itself is not its answer."""
    return _folded_words(question.text) if question else frozenset()


@lru_cache(maxsize=64)  # one question is checked against every candidate sentence
def _folded_words(text: str) -> frozenset[str]:
    return frozenset(fold(t) for t in _TOKEN.findall(text))


@cache
def _number_words(lang: str) -> frozenset[str]:
    return frozenset(_NUMBER_WORDS.get(lang, "").split())


def has_answer_type(text: str, answer_type: str | None, question: Question | None = None) -> bool:
    """Whether a sentence holds what the question asks for, other than what the question
    says itself: a date or year, a number, a name (capitalised) for who / where / which team,
    the words an acronym of the question stands for."""
    if answer_type is None:
        return False
    lang = question.lang if question else DEFAULT_LANG
    own = _own_words(question)
    if answer_type == DATE:
        months = _month_pattern(lang)
        folded = fold(text)
        return any(m.group() not in own for m in _YEAR.finditer(text)) \
            or (months is not None and any(m.group() not in own for m in months.finditer(folded)))
    if answer_type == EXPANSION:
        skipped = stopwords(lang)
        # The longest acronym is the one asked about: "What does ESF stand for in the EU?"
        written = acronyms(question.text) if question is not None else ()
        return bool(written) and spells_out(text, max(written, key=len), skipped)
    if answer_type == NUMBER:
        # A year is a date, not a count ("How many buses" is not answered by "in 2012").
        if any(m.group() not in own and not _YEAR.fullmatch(m.group()) for m in _DIGITS.finditer(text)):
            return True
        words = _number_words(lang)
        return any(w in words and w not in own for w in _TOKEN.findall(fold(text)))
    own_terms = set(question.terms) | question.names if question else set()
    an = analyzer(lang)
    for match in _NAME.finditer(text):
        terms = an.terms(match.group())
        if (match.start() == 0 or text[:match.start()].rstrip().endswith((".", "!", "?"))) \
                and not terms:
            continue  # a common word is capitalised where it starts a sentence: not a name
        if terms and not own_terms.intersection(terms):
            return True
    return False


MAX_QUESTION_CHARS = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean_question(question: str) -> str:
    """The question as text we can search and print: no lone surrogates or control characters."""
    question = question.encode("utf-8", "replace").decode("utf-8")
    question = " ".join(_CONTROL.sub(" ", question).split())
    if not question:
        raise QuestionError("the question is empty; ask something, e.g. askurbact ask \"What was created in Kavala?\"")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(f"the question is too long ({len(question)} characters; at most {MAX_QUESTION_CHARS})")
    return question
