"""Each language's question words: the phrases that only frame a question ("tell me
about", "how many"), the answer types they ask for ("when": a date), the words that point
back to the turn before ("he", "there") and those that ask for more ("else"). Data for
analysis/question.py; folded words (accents off), as the question's are matched."""

from __future__ import annotations

from dataclasses import dataclass

DATE, NUMBER, PERSON, PLACE = "date", "number", "person", "place"
# What an acronym stands for ("What does AFC stand for?"): only for a question that writes one,
# and only where no other type is asked for ("When did the acronym ESF appear?": a date).
EXPANSION = "expansion"


@dataclass(frozen=True)
class _Language:
    """Per language: frame phrases (folded words, "|" between alternatives, "?" after an
    optional word), answer-type cues (first words -> type) and words that point back."""

    frames: tuple[str, ...]
    types: tuple[tuple[str, str], ...]
    pointers: frozenset[str]
    definite: frozenset[str] = frozenset()  # articles that name again what was named before
    more: frozenset[str] = frozenset()  # words that ask for more than was shown ("what else?")
    asking: tuple[str, ...] = ()  # question words, whose swapped letters are read as them ("whta")
    # Where every noun is written with a capital (German): the words after which a capitalised
    # word is a noun, not a name ("viel Geld", "seine Projekte"; not "in Freiburg"), and the
    # articles after which it is a noun or a name that takes one ("die Projekte", "die Ukraine").
    noun_markers: frozenset[str] = frozenset()
    articles: frozenset[str] = frozenset()
    # Words no stopword list has that are never what a question asks about: German's
    # "dafür" ("for it") and the particle a verb leaves at the end ("Wer stimmt ... ab?").
    unsearched: frozenset[str] = frozenset()

def _typed_nouns(asking: tuple[str, ...], nouns: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """Answer-type cues "what city", "which cities", ...: the noun after the question word
    says what kind of thing the answer is (a name for "which team", a place for "what city")."""
    cues = []
    for kind, words in nouns.items():
        for noun in words.split():
            plural = noun[:-1] + "ies" if noun.endswith("y") and noun[-2] not in "aeiou" else noun + "s"
            cues += [(f"{word} {form}", kind) for word in asking for form in (noun, plural)]
    return tuple(cues)


_EN = _Language(
    frames=(
        "^can|could|would|will you please? tell|explain|describe|say|show|give me? more? about|on?",
        "^please", "^tell me more? about", "^explain|describe to? me?", "^i want|wish|need to know about?",
        "^i would like to know about?", "^what do|can you know|tell me? about", "^give me more? details|information?",
        "^what|how about", "^tell|show|give me more", "^anything|something else",
        "^what happened|happens|happen in|to|at|with|during|on?",
        "^what is|was|are|were known for", "known for", "what else",
        "how big|large|many|much|long|old|far|often|tall|high|wide|deep|small|few",
        "what|which year|date|day|month|decade|century", "in|on what|which year|date|day|month|decade|century",
        "what|which kind|type|sort|form of", "what is|was|are|were the name|names of?", "stand|stands|stood for",
        "short for", "acronym|acronyms|abbreviation|abbreviations",
        # The documents themselves: every passage is in "the article", none says so.
        "according to the|this article|text|document|documents|report|passage|author|authors",
        "in|from the|this article|text|document|documents|passage",
        "do|does|did the|this article|text|document|documents|report|passage|author|authors "
        "say|mention|describe|define|explain|tell us?",
        "is|was|are|were mentioned|quoted|cited",
    ),
    types=(("when", DATE), ("what year", DATE), ("which year", DATE), ("what date", DATE), ("in what year", DATE),
           ("in which year", DATE), ("what century", DATE), ("how many", NUMBER), ("how much", NUMBER),
           ("how long", NUMBER), ("how old", NUMBER), ("how big", NUMBER), ("how large", NUMBER),
           ("how high", NUMBER), ("how far", NUMBER), ("how tall", NUMBER), ("what percentage", NUMBER),
           ("who", PERSON), ("whom", PERSON), ("whose", PERSON), ("where", PLACE), ("how often", NUMBER),
           ("stand for", EXPANSION), ("stands for", EXPANSION), ("stood for", EXPANSION), ("short for", EXPANSION),
           ("acronym", EXPANSION), ("abbreviation", EXPANSION),
           *_typed_nouns(("what", "which"), {
               DATE: "year date day month decade century",
               NUMBER: "percentage percent proportion number amount population size age temperature distance "
                       "length height rate cost price speed",
               PLACE: "city country state town region continent place location county island river venue "
                      "stadium nation province district",
               PERSON: "team company group organization organisation network player university college party "
                       "entity person man woman king queen president leader author artist band newspaper "
                       "treaty name emperor"})),
    pointers=frozenset("he she it they them him his her hers its their theirs this that these those there then "
                       "else other others same ones former latter".split()),
    definite=frozenset(["the", "such"]),
    more=frozenset("else other others another more further".split()),
    asking=tuple("what when where which who whom whose why how".split()),
)

_FR = _Language(
    frames=("^pouvez|peux vous|tu me? dire|expliquer|decrire", "^dis|dites moi", "^parle|parlez moi de|du|des?",
            "^qu est ce que|qui", "^qu est il arrive a|au?", "combien de?", "en quelle annee", "quelle annee",
            "quel|quelle type|sorte|genre de", "s il vous|te plait"),
    # "Qu'est-ce qui" asks "what", not "who": a longer cue of no type.
    types=(("quand", DATE), ("en quelle annee", DATE), ("quelle annee", DATE), ("combien", NUMBER),
           ("qui", PERSON), ("ou", PLACE), ("qu est ce qui", ""), ("qu est ce que", ""), ("sigle", EXPANSION),
           ("acronyme", EXPANSION)),
    pointers=frozenset("il elle ils elles lui leur leurs ce cela ca celui celle ceux celles la y en autre autres "
                       "meme".split()),
    definite=frozenset("le la les l cette ces".split()),
    more=frozenset("autre autres encore".split()),
    asking=tuple("quoi quand qui quel quelle quels quelles comment pourquoi combien".split()),
)

_PL = _Language(
    frames=("^powiedz|opowiedz mi? o|cos?", "^czy mozesz|mozna powiedziec|wyjasnic", "^co sie stalo w?",
            "w ktorym roku", "ile", "jaki|jaka|jakie rodzaj|typ"),
    types=(("kiedy", DATE), ("w ktorym roku", DATE), ("ile", NUMBER), ("kto", PERSON), ("kogo", PERSON),
           ("gdzie", PLACE), ("skrot", EXPANSION)),
    pointers=frozenset("on ona ono oni one jego jej ich tam ten ta to te tego tej inne inny inni".split()),
    more=frozenset("inne inny inni jeszcze wiecej".split()),
    asking=tuple("kiedy gdzie ktory ktora ktore jak dlaczego".split()),  # not "kto": "kot" is a cat
)

# Spanish, Italian, Portuguese, German and Dutch: their question words, which the stopword
# lists mostly lack ("cuántos", "quando", "wann" were searched as content and shown as
# missing), the answer types they ask for, and the words that point back. Not articles or
# words as common as "está" / "esta", "es", "zijn": a pointer makes a question a follow-up.
_ES = _Language(
    frames=("^dime|digame|hablame|cuentame de|del|sobre?", "^puedes|puede decirme|explicarme|describir",
            "en que ano", "que ano", "que tipo|clase de", "por favor",
            "que|cuando|donde|quien|quienes|cual|cuales|como|cuanto|cuanta|cuantos|cuantas"),
    types=(("cuando", DATE), ("en que ano", DATE), ("que ano", DATE), ("cuanto", NUMBER), ("cuanta", NUMBER),
           ("cuantos", NUMBER), ("cuantas", NUMBER), ("quien", PERSON), ("quienes", PERSON), ("donde", PLACE),
           ("siglas", EXPANSION)),
    pointers=frozenset("ella ellos ellas su sus esto eso estos estas ese esa esos esas alli alla ahi otro otra "
                       "otros otras mismo".split()),
    definite=frozenset("el la los las".split()),
    more=frozenset("otro otra otros otras mas tambien".split()),
    asking=tuple("que cuando donde quien quienes cual cuales como cuanto cuantos cuanta cuantas".split()),
)
_IT = _Language(
    frames=("^dimmi|parlami di|del|della|dei|delle?", "^puoi|puo dirmi|spiegarmi", "in che|quale anno",
            "che|quale anno", "che tipo di", "per favore",
            "che|cosa|quando|dove|chi|quale|quali|come|quanto|quanta|quanti|quante"),
    types=(("quando", DATE), ("in che anno", DATE), ("in quale anno", DATE), ("che anno", DATE),
           ("quanto", NUMBER), ("quanta", NUMBER), ("quanti", NUMBER), ("quante", NUMBER), ("chi", PERSON),
           ("dove", PLACE), ("sigla", EXPANSION)),
    pointers=frozenset("lui lei loro esso essa suo sua suoi sue questo questa questi queste quello quella "
                       "quelli quelle altro altra altri altre stesso".split()),
    definite=frozenset("il lo la gli le".split()),
    more=frozenset("altro altra altri altre ancora piu".split()),
    asking=tuple("che cosa quando dove chi quale quali come quanto quanti quanta quante".split()),
)
_PT = _Language(
    frames=("^diga|fale me? sobre|de|do|da?", "^pode|podes dizer|explicar", "em que ano", "que ano",
            "que tipo de", "por favor", "que|quando|onde|quem|qual|quais|como|quanto|quanta|quantos|quantas"),
    types=(("quando", DATE), ("em que ano", DATE), ("que ano", DATE), ("quanto", NUMBER), ("quanta", NUMBER),
           ("quantos", NUMBER), ("quantas", NUMBER), ("quem", PERSON), ("onde", PLACE),
           ("sigla", EXPANSION)),
    pointers=frozenset("ele ela eles elas seu sua seus suas isto isso estes estas esse essa esses essas ali "
                       "outro outra outros outras mesmo".split()),
    definite=frozenset("o a os as".split()),
    more=frozenset("outro outra outros outras mais tambem".split()),
    asking=tuple("que quando onde quem qual quais como quanto quantos quanta quantas".split()),
)
_DE = _Language(
    frames=("^erzahl|erzahle|erzahlen sie? mir? von|uber?", "^kannst|konnen du|sie mir? sagen|erklaren",
            "in welchem jahr", "welches jahr", "wie viel|viele", "was fur ein|eine|einen?", "bitte",
            "was|wann|wo|wohin|woher|wer|wen|wem|wie|welche|welcher|welches|wieviel|wieviele"),
    types=(("wann", DATE), ("in welchem jahr", DATE), ("welches jahr", DATE), ("wie viel", NUMBER),
           ("wie viele", NUMBER), ("wieviel", NUMBER), ("wieviele", NUMBER), ("wer", PERSON), ("wen", PERSON),
           ("wem", PERSON), ("wo", PLACE), ("wohin", PLACE), ("woher", PLACE),
           ("abkurzung", EXPANSION)),
    # "dafür", "davon": "for it", "of it".
    pointers=frozenset("er ihn ihm ihr ihre sein seine seiner dies diese dieser dieses dort andere anderen "
                       "dafur damit davon daran dazu darauf daruber dabei darin".split()),
    definite=frozenset("der die das den dem des".split()),
    noun_markers=frozenset("ein eine einen einem einer eines kein keine keinen keinem keiner mein meine dein "
                           "deine sein seine seinen seinem ihr ihre ihren ihrem unser unsere euer eure dieser "
                           "diese dieses diesen diesem jeder jede jedes jeden jedem welche welcher welches "
                           "welchen welchem viel viele vielen wenige einige alle allen mehrere beide "
                           "beiden".split()),
    articles=frozenset("der die das den dem des zum zur im am vom beim ins".split()),
    unsearched=frozenset("dafur davon daran darauf daruber dabei darin ab".split()),
    more=frozenset("andere anderen anderes sonst noch mehr weitere".split()),
    asking=tuple("was wann wo wer wen wem wie welche welcher welches".split()),
)
_NL = _Language(
    frames=("^vertel me? over|iets?", "^kun|kunt je|u me? vertellen|uitleggen", "in welk jaar", "welk jaar",
            "wat voor een?", "alstublieft|alsjeblieft", "wat|wanneer|waar|wie|welk|welke|hoe|hoeveel"),
    types=(("wanneer", DATE), ("in welk jaar", DATE), ("welk jaar", DATE), ("hoeveel", NUMBER), ("wie", PERSON),
           ("waar", PLACE), ("afkorting", EXPANSION)),
    pointers=frozenset("hij hem haar hun dit deze daar andere".split()),
    definite=frozenset("de het".split()),
    more=frozenset("andere anders nog meer".split()),
    asking=tuple("wat wanneer waar wie welk welke hoe hoeveel".split()),
)

LANGUAGES = {"en": _EN, "fr": _FR, "pl": _PL, "es": _ES, "it": _IT, "pt": _PT, "de": _DE, "nl": _NL}
NONE = _Language((), (), frozenset())
