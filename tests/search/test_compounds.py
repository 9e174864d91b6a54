"""Compound words (search/compounds.py): a German or Dutch question's compound that the corpus
never writes is searched as the parts it does write; nothing else changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from askurbact.config import Settings
from askurbact.core import Assistant

FREIBURG = """---
title: Beteiligung in Freiburg
lang: de
---
# Beteiligung in Freiburg

Die Bürger von Freiburg entscheiden über einen Teil des Haushalts mit. Im Stadtteil Vauban
wurde die Beteiligung der Bewohner früh organisiert.

# Arbeit

Die Stadt fördert Arbeit für junge Menschen. Der Markt für Wohnungen ist angespannt.
"""
LEIPZIG = """---
title: Gärten in Leipzig
lang: de
---
# Gärten

In Leipzig pflegen Nachbarn gemeinsame Gärten auf brachliegenden Flächen. Der Stadtgarten
wurde 2015 eröffnet. Der Garten hinter dem Rathaus ist klein.

# Presse

Die Stadt gibt jeden Monat eine Zeitung für alle Haushalte heraus. In der Stadt ist die Zeit
der Familien knapp. Die Mieten sind frei vereinbart. Das Haus der Vereine steht am Markt.
Bei Regen finden die Treffen der Burg statt.
"""
ROTTERDAM = """---
title: Wijken in Rotterdam
lang: nl
---
# Wijken

In Rotterdam kiezen bewoners zelf projecten voor hun wijk. De gemeente geeft het budget.
"""
HARBOUR = """# The harbour

The fire station stands by the old house of the harbour master.
"""


@pytest.fixture(scope="module")
def cities(tmp_path_factory) -> Assistant:
    root: Path = tmp_path_factory.mktemp("compounds")
    corpus = root / "docs"
    corpus.mkdir()
    for name, text in {"freiburg.md": FREIBURG, "leipzig.md": LEIPZIG, "rotterdam.md": ROTTERDAM,
                       "harbour.md": HARBOUR}.items():
        (corpus / name).write_text(text, encoding="utf-8")
    helper = Assistant(Settings(corpus=corpus, index=root / "idx", home=root / "home"))
    helper.update()
    return helper


def test_a_compound_the_corpus_never_writes_is_searched_as_its_parts(cities):
    answer = cities.ask("Wie funktioniert die Bürgerbeteiligung in Freiburg?")
    assert answer.found
    assert "Die Bürger von Freiburg entscheiden" in answer.text
    assert "bürger beteiligung" in answer.words  # "searched for ..." under the answer
    assert "bürgerbeteiligung" not in answer.missing  # its parts are in the quote


def test_a_linking_element_between_the_parts_is_dropped(cities):
    """"Arbeit-s-markt": the corpus has "Arbeit" and "Markt", not the compound."""
    answer = cities.ask("Wie ist der Arbeitsmarkt?")
    assert answer.found
    assert "arbeit" in answer.words and "markt" in answer.words


def test_a_dutch_compound_is_split_too(cities):
    answer = cities.ask("Wie kiest de wijkprojecten?")
    assert answer.text.startswith("In Rotterdam kiezen bewoners zelf projecten voor hun wijk.")
    assert "wijk" in answer.words and "projecten" in answer.words


def test_a_compound_the_corpus_writes_is_searched_whole(cities):
    answer = cities.ask("Wann wurde der Stadtgarten eröffnet?")
    assert "Der Stadtgarten wurde 2015 eröffnet." in answer.text
    assert "stadtgarten" in answer.words.split()


def test_a_compound_with_a_part_the_corpus_lacks_is_not_split(cities):
    """"Gemeinschaft" is no word of the corpus: "Gemeinschaftsgärten" is not read as "Gärten"."""
    answer = cities.ask("Wo gibt es Gemeinschaftsgärten?")
    assert "gärten" not in answer.words.split()


def test_english_words_are_not_split(cities):
    """English writes compounds apart: "firehouse" is no "fire house"."""
    answer = cities.ask("Where is the firehouse?")
    assert "fire" not in answer.words.split()


def test_the_question_s_word_is_split_not_its_stem(cities):
    """"Stadtzeitung" stems to "stadtzeit": its parts are "Stadt" and "Zeitung", not "Zeit"."""
    answer = cities.ask("Wer gibt die Stadtzeitung heraus?")
    assert answer.text.startswith("Die Stadt gibt jeden Monat eine Zeitung")
    assert "stadt zeitung" in answer.words


def test_a_name_is_not_split(cities):
    """"Freiburg" is no "frei" and "burg": a city the corpus lacks stays one it lacks."""
    answer = cities.ask("Wie hoch sind die Mieten in Regensburg?")
    assert "regensburg" in answer.missing or not answer.found
    assert "burg" not in answer.query.split()


def test_a_quote_holding_one_part_of_a_compound_lacks_the_compound(cities):
    answer = cities.ask("Wie klein ist das Gartenhaus?")
    garden = [c for c in answer.citations if c.quote == "Der Garten hinter dem Rathaus ist klein."]
    assert garden and "gartenhaus" in garden[0].missing
