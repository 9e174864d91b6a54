"""Languages: which ones we stem (Snowball, through PyStemmer), how a document names its
language, and each language's stopwords."""

from __future__ import annotations

from functools import cache
from importlib import resources

from .normalize import words

DEFAULT_LANG = "en"


# ISO 639-1 code -> Snowball algorithm name (PyStemmer).
SNOWBALL = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german",
    "el": "greek", "en": "english", "es": "spanish", "eu": "basque", "fi": "finnish",
    "fr": "french", "ga": "irish", "hu": "hungarian", "id": "indonesian", "it": "italian",
    "lt": "lithuanian", "nl": "dutch", "no": "norwegian", "pl": "polish", "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "sr": "serbian", "sv": "swedish", "tr": "turkish",
}


# Names accepted in front matter besides the ISO codes.
LANG_NAMES = {name: code for code, name in SNOWBALL.items()}


def supported_lang(lang: object) -> str | None:
    """The ISO code of a front-matter `lang` value ("fr", "fr-BE", "french"), or None."""
    if not isinstance(lang, str):
        return None
    code = lang.strip().lower().replace("_", "-").split("-")[0]
    code = LANG_NAMES.get(code, code)
    return code if code in SNOWBALL else None


def normalize_lang(lang: object) -> str:
    """A supported ISO code for `lang`, English when it is missing or unknown."""
    return supported_lang(lang) or DEFAULT_LANG


@cache
def stopwords(lang: str) -> frozenset[str]:
    """The stopword list of a language, folded like the text it filters."""
    path = resources.files(__package__).joinpath("stopwords").joinpath(f"{lang}.txt")
    if path.is_file():
        raw = path.read_text(encoding="utf-8").split()
    else:
        # Snowball publishes lists only for some languages; the stop-words package covers the rest.
        from stop_words import StopWordError, get_stop_words

        try:
            raw = get_stop_words(lang)
        except StopWordError:
            raw = []
    folded = set()
    for word in raw:
        folded.update(words(word))
    return frozenset(folded)
