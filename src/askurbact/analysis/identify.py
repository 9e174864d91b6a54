"""The language of a document that does not say (a PDF, a text file, a page without `lang`).

A document's commonest words tell its language: in running text about one word in four
is one of the few dozen most frequent words of its language ("the", "of", "and"; "de",
"la", "les"), and those lists barely overlap. The stopword lists cannot do this: they
differ tenfold in size (Danish 93 words, Finnish 820), so a long list wins on any text.
Only the languages we stem are told apart; a document in none of them, or too short to
tell, keeps the default (English), as before.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from .normalize import fold

# Each language's most frequent function words, folded as the text is (accents off):
# about 25 each, so that no list is favoured by its length. Not Polish "i", "do", "to":
# English text says "I do it" (a first-person note read as Polish).
_COMMON = {
    "en": "the of and to in is that for it with as was on are by this be from at or an which have not but you he we",
    "fr": "le la les de des du et est en un une que qui pour dans sur pas par au aux ce il elle sont avec ne se",
    "es": "el la los las de del y en que un una por con para es se al lo como mas su no sus le entre",
    "it": "il la le di del della che e un una per con non sono gli al nel si dei delle da alla lo anche",
    "pt": "o a os as de do da dos das e em um uma que para com nao por no na se ao mais foi pelo",
    "de": "der die das und ist in den von zu mit sich des auf fur nicht ein eine dem im auch es wird werden",
    "nl": "de het een en van in is dat op te voor met zijn niet aan er ook als bij door wordt worden om",
    "pl": "w na z sie ze nie jest o jak po przez od za dla oraz sa ich jego tak juz tylko",
    "cs": "a se na je ze v to s z do o jako pro by jsou ve ale jak jeho byl tak jsme k",
    # Danish and Swedish without the words they share ("det", "som", "med", "har"...).
    "da": "og at er til af ikke et fra vi jeg hun blev efter ud mig hvad skal nu meget hvor",
    "sv": "och att ar av till inte ett fran om jag hon blev efter ut mig vad ska nu mycket dar",
    "fi": "ja on ei se etta oli han mutta kun myos ovat tai joka mika ole niin jos vain",
    "hu": "a az es hogy nem is egy van meg de csak mar volt el ez mint vagy ki",
    "ro": "si de la in a cu pe nu care din o un se este pentru sa mai ca sunt au",
    "el": "και το να της του η ο που με σε για τα των την στο στην ειναι απο",
}
# Fewer words than this say too little (a title page, a table of figures).
MIN_WORDS = 20
# The winner's share of the words must be at least this, and this many times the runner-up's.
MIN_SHARE = 0.08
MIN_LEAD = 1.5
# Enough text to tell; reading a whole book would only cost time.
SAMPLE_CHARS = 20_000

_LETTERS = re.compile(r"[^\W\d_]+")


@cache
def _lists() -> dict[str, frozenset[str]]:
    return {lang: frozenset(fold(w) for w in words.split()) for lang, words in _COMMON.items()}


def identify_language(text: str) -> str | None:
    """The ISO code of the language `text` is written in, or None when it cannot be told."""
    tokens = _LETTERS.findall(fold(text[:SAMPLE_CHARS]))
    if len(tokens) < MIN_WORDS:
        return None
    counts = Counter(tokens)
    shares = sorted(((sum(counts[w] for w in listed) / len(tokens), lang) for lang, listed in _lists().items()),
                    reverse=True)
    (best, lang), (second, _) = shares[0], shares[1]
    if best < MIN_SHARE or best < MIN_LEAD * second:
        return None
    return lang
