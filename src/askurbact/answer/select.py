"""Answer selection: the sentences of the best passages that best answer the question, each cited.

Extractive only: every sentence shown is quoted from a source file, and each citation
gives the exact place (document, section, path, lines) where its quote stands verbatim.

A sentence is chosen for the question's weight it holds, its neighbouring term pairs,
whether it has what the question asks for (a year for "when", a number for "how many",
a name for "who" and "where") and the rank of its passage; a neighbour of the best
sentence gains for the question's terms the best one lacks. A heading-like fragment (no
end punctuation, a few words) never leads. A follow-up prefers sentences it has not
shown yet, next to the ones it showed, and keeps to the subject it carries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..analysis import analyzer, is_contents_entry
from ..analysis.question import Question, has_answer_type, refers_back
from ..model import SECTION_SEPARATOR
from ..search.fuzzy import Fixes
from ..search.rerank import Evidence, SentenceTerms, pairs_held, pairs_of, subject_terms
from .cite import cite
from .model import NOTHING_FOUND, NOTHING_MORE, Answer, Citation

# A further sentence must score at least this share of the best one: weak matches add noise.
MIN_SENTENCE_SHARE = 0.5
# What a sentence gains for having the answer type, for the question's term pairs, for
# standing next to a sentence shown before (a follow-up), and loses for being shown before.
TYPE_BONUS, PAIR_BONUS, NEXT_BONUS, SHOWN_PENALTY = 0.35, 0.3, 0.25, 0.3
# A passage's rank weighs in a near tie: the best passage's sentences gain this much.
RANK_BONUS = 0.3
# A neighbour of the best sentence gains this times the share of the question's weight it
# holds that the best one lacks (see _with_complements).
COMPLEMENT_WEIGHT = 1.0
# A question term the sentence holds only in another form ("divis" / "division", the
# stems of "division" and "divisional") counts at this share of its weight.
FORM_WEIGHT = 0.8
FORM_LETTERS = 5  # the shorter of the two stems has at least this many letters
# What a term of the document's title or section weighs in choosing its sentences.
SUBJECT_WEIGHT = 0.3
# Fewer words than this and no end punctuation: a heading-like fragment.
FRAGMENT_WORDS = 12
_ENDS = tuple('.!?:;"\u201d\u2019)\u2026')

_WORD = re.compile(r"[^\W_]+")
# A sentence that starts by pointing back ("He", "It", "The city") is about the subject of
# the sentence before it: that sentence's terms count for it at this share of their weight.
CONTEXT_WEIGHT = 0.5
# How many sentences back a quote that points back is read for the words it stands for.
CONTEXT_REACH = 3

Shown = frozenset[tuple[str, str]]  # (path, quote with its white space made single) of quotes shown before


@dataclass
class _Candidate:
    evidence: Evidence
    row: SentenceTerms
    score: float
    shown: bool = False  # quoted by an earlier answer of the chat (a follow-up)
    # The terms the sentence is about: its own, those of the sentence before it when it points
    # back to it, and its document's title and section.
    about: frozenset[str] = frozenset()


def is_fragment(text: str) -> bool:
    text = text.strip()
    return not text.endswith(_ENDS) and len(text.split()) < FRAGMENT_WORDS


def _in_other_forms(terms, present: set[str]) -> list[str]:
    """The `terms` that `present` holds only in a longer or shorter form: one stem begins
    the other ("divis" / "division", the stems of "division" and "divisional")."""
    # Two stems of which one begins the other share their first FORM_LETTERS letters: only
    # such terms of the sentence are looked at, by prefix sets, not a scan of every pair
    # (this runs for each sentence of each passage read).
    wanted = {term[:FORM_LETTERS] for term in terms if len(term) >= FORM_LETTERS and term not in present}
    if not wanted:
        return []
    near = [p for p in present if p[:FORM_LETTERS] in wanted]
    if not near:
        return []
    begun = {p[:n] for p in near for n in range(FORM_LETTERS, len(p) + 1)}  # a term some p begins with
    return [term for term in terms if term not in present and len(term) >= FORM_LETTERS and (
            term in begun or any(term[:n] in present for n in range(FORM_LETTERS, len(term))))]


def _other_forms(weights: dict[str, float], present: set[str]) -> float:
    """The weight of the question terms that a sentence's terms hold only in another form."""
    return sum(weights[term] for term in _in_other_forms(weights, present))


def _context(e: Evidence, previous: SentenceTerms | None, row: SentenceTerms, text: str) -> frozenset[str]:
    """The terms of the sentence before `row` when `row` starts by pointing back to it
    ("He", "It", "The city"; in the same block of text), else none."""
    if previous is None or "\n\n" in e.hit.passage.text[previous.sentence.end:row.sentence.start] \
            or not refers_back(text, e.hit.document.lang):
        return frozenset()
    return frozenset(previous.terms)


def _sentence_weights(e: Evidence, weights: dict[str, float]) -> dict[str, float]:
    """The question's term weights for choosing among a passage's sentences. Terms of the
    document's title and section name its subject: every sentence of it is about them, so
    they tell little about which sentence answers."""
    subject = subject_terms(e.hit.document.lang, e.hit.document.title, e.hit.passage.section)
    return {t: w * (SUBJECT_WEIGHT if t in subject else 1.0) for t, w in weights.items()}


def _candidates(question: Question | None, found: list[Evidence], weights: dict[str, float],
                own_terms: list[str], shown: Shown, carried: frozenset[str] = frozenset(),
                names: frozenset[str] = frozenset()) -> list[_Candidate]:
    pairs = pairs_of(own_terms)
    result = []
    on_subject: set[int] = set()  # id() of the passages holding a carried term (a follow-up's)
    goes_further = not own_terms or (question is not None and question.wants_more)
    # The carried subject is its names when it has some ("Medellin"): "build" or "first" are
    # in passages on anything.
    carried = carried & names or carried
    for e in found:
        headings = set(e.hit.passage.section.split(SECTION_SEPARATOR)) - {""}
        local = _sentence_weights(e, weights)
        total = sum(local.values()) or 1.0
        subject = subject_terms(e.hit.document.lang, e.hit.document.title, e.hit.passage.section)
        if carried and carried & _passage_terms(e):
            on_subject.add(id(e))
        quotes = [quote for path, quote in shown if path == e.hit.document.path]
        shown_here = {s.position for s in e.sentences if any(" ".join(s.sentence.text.split()) in q for q in quotes)}
        previous: SentenceTerms | None = None
        for row in e.sentences:
            text = row.sentence.text.strip()
            before = _context(e, previous, row, text)
            previous = row
            # A heading, a table of contents' line, or the title standing alone as a line (a
            # PDF's first line, a page's header), names the subject and answers nothing; a
            # first line that says something (a sentence) stays quotable.
            # (A table of contents' entry is told by its text: also in a text file, or where a
            # reader did not see the table.)
            if text in headings or not row.terms or (text == e.hit.document.title and is_fragment(text)) \
                    or is_contents_entry(text):
                continue
            present = set(row.terms)
            score = sum(w for t, w in local.items() if t in present) / total
            score += FORM_WEIGHT * _other_forms(local, present) / total
            if before:
                score += CONTEXT_WEIGHT * sum(w for t, w in local.items() if t in before and t not in present) / total
            # A sentence with none of the question's terms is only the next of what was shown,
            # for a follow-up that asks for more ("Tell me more", "What else happens there?");
            # one that asks something of its own ("What happened to its members?") is answered
            # by sentences that hold its words.
            if score <= 0 and not (shown_here and goes_further):
                continue
            if pairs:
                score += PAIR_BONUS * pairs_held(row.terms, pairs) / len(pairs)
            if question is not None and has_answer_type(text, question.answer_type, question):
                score += TYPE_BONUS
            score += RANK_BONUS / e.hit.rank
            if row.position in shown_here:
                score -= SHOWN_PENALTY
            elif shown_here and (row.position - 1 in shown_here or row.position + 1 in shown_here):
                score += NEXT_BONUS
            if is_fragment(text):
                score *= 0.5
            if score > 0:
                result.append(_Candidate(e, row, score, row.position in shown_here, present | before | subject))
    if any(id(c.evidence) in on_subject for c in result):
        # A follow-up ("Who took part?") asks about the subject carried from the turn before:
        # a passage with none of it (in its sentences, title or section) answers its words
        # about another subject. By passage, not sentence: the sentences next to one that
        # names the subject ("Tell me more", "When does it close?") are on it too.
        result = [c for c in result if id(c.evidence) in on_subject]
    if question is not None and question.wants_more:
        # "What else?": what was shown is no answer (compose says when nothing else is left).
        result = [c for c in result if not c.shown]
    return sorted(result, key=lambda c: (-c.score, c.evidence.hit.rank, c.row.position))


def _with_complements(candidates: list[_Candidate], weights: dict[str, float]) -> list[_Candidate]:
    """The best sentence first, then the others, a sentence next to the best gaining for the
    question's terms it holds that the best one lacks: a question answered across two
    sentences ("When was the port dredged, and who planned the marina?": "The port was
    dredged in 1930. Councillors later planned a marina there.") gets both, not the best
    and a sentence repeating its words. On SQuAD, answer-hit +0.001 to +0.004 on each of
    six seed and corpus choices (docs/quality.md)."""
    if len(candidates) < 2:
        return candidates
    first, rest = candidates[0], candidates[1:]
    local = _sentence_weights(first.evidence, weights)
    lacking = local.keys() - set(first.row.terms)
    total = sum(local.values()) or 1.0

    def gain(c: _Candidate) -> float:
        if c.evidence is not first.evidence or abs(c.row.position - first.row.position) != 1:
            return 0.0
        return COMPLEMENT_WEIGHT * sum(local[t] for t in lacking.intersection(c.row.terms)) / total

    rescored = [_Candidate(c.evidence, c.row, c.score + gain(c), c.shown, c.about) for c in rest]
    return [first, *sorted(rescored, key=lambda c: (-c.score, c.evidence.hit.rank, c.row.position))]


def _passage_terms(e: Evidence) -> frozenset[str]:
    """The terms of a passage, its document's title and its section: what it is about."""
    subject = subject_terms(e.hit.document.lang, e.hit.document.title, e.hit.passage.section)
    return subject.union(*(row.terms for row in e.sentences))


def _off_subject(cand: _Candidate, first: _Candidate, names: frozenset[str]) -> bool:
    """Whether a further quote from another document is about another subject than the
    first: it does not name the question's names that the first names. After "the cycling
    plan of Gdynia", a sentence on another city's cycling plan is no part of the answer
    ("... of Gdynia and Miami?" keeps both cities'). The first's passage counts as well as
    its sentence: a follow-up's answer ("What else did the city do?") may not name the
    city it carries, the sentences before it do. In the first one's document a quote is on
    its subject: "The pope ..." after the sentence naming Poland. (The same rule for its
    other sections, tried, moved the next sentence into the first answer and left the
    follow-up "What else?" without it; docs/quality.md.)"""
    if not names or cand.evidence.hit.document.doc_id == first.evidence.hit.document.doc_id:
        return False
    if names & first.about and not names & cand.about:
        return True
    return bool(names & _passage_terms(first.evidence)) and not names & _passage_terms(cand.evidence)


def compose(question: Question | None, text: str, own_terms: list[str], searched: list[str], found: list[Evidence],
            weights: dict[str, float], max_sentences: int, shown: Shown = frozenset(),
            names: frozenset[str] | None = None) -> Answer:
    """The answer from re-ranked passages the gate let through. `names`: the names the
    answer is about, the question's own unless given (a follow-up's carried ones)."""
    query = " ".join(searched)
    hits = tuple(e.hit for e in found)
    carried = frozenset(searched) - frozenset(own_terms)
    if names is None:
        names = question.names if question is not None else frozenset()
    candidates = _with_complements(_candidates(question, found, weights, own_terms, shown, carried, names), weights)
    chosen: list[_Candidate] = []
    seen_text: set[str] = set()
    for cand in candidates:
        if len(chosen) == max_sentences or cand.score < MIN_SENTENCE_SHARE * candidates[0].score:
            break
        if chosen and _off_subject(cand, chosen[0], names):
            continue
        key = " ".join(cand.row.sentence.text.split()).casefold()
        if key not in seen_text:
            seen_text.add(key)
            chosen.append(cand)
    if not chosen:
        more = question is not None and question.wants_more and bool(shown)
        return nothing(text, query, own_terms, NOTHING_MORE if more else NOTHING_FOUND)
    citations, answer_text = cite([(c.evidence.hit, c.row.sentence, c.row.position) for c in chosen])
    return Answer(text, query, True, answer_text, citations, hits, tuple(own_terms))


def searched_words(terms: list[str], questions: list[Question], fixes: Fixes, found: list[Evidence]) -> str:
    """The searched terms as words a person reads: each from the question it came from
    (`questions`: this one, then the earlier turns, latest first); a typo's correction or a
    compound's part (`fixes`) as the word the best passages spell it with; else the term
    itself."""
    searched_for = {to for tos in fixes.values() for to in tos}
    words = []
    for term in terms:
        word = _word_of(term, questions)
        if word is None or term in searched_for:
            word = _spelling(term, found) or word or term
        words.append(word)
    return " ".join(dict.fromkeys(words))


def quote_missing(questions: list[Question], terms: list[str] | tuple[str, ...], fixes: Fixes,
                  found: list[Evidence], citation: Citation) -> tuple[str, ...]:
    """The words of `terms` (the question's own, then those a follow-up carries) that a
    quote does not hold, in any form ("visitors" holds "visited"), with its document's
    title and section and the sentence before it when it starts by pointing back ("It
    has ..."): "Who is the mayor of Medellin?" answered with "Seoul's mayor Won Soon Park
    ..." shows, beside that source, "missing: medellin", as a web search shows a result's
    missing words. A typo (`fixes`: term -> its correction) is held when its correction
    is, and shown as the corpus spells it; a compound when all of its parts are; a word as
    the question it came from wrote it
    (`questions`: this one, then the earlier turns, latest first)."""
    e = found[citation.rank - 1]
    start = e.hit.passage.text.find(citation.quote)
    end = start + len(citation.quote)
    held = set(subject_terms(e.hit.document.lang, e.hit.document.title, e.hit.passage.section))
    rows = e.sentences
    for i, row in enumerate(rows):
        if start <= row.sentence.start and row.sentence.end <= end:
            held.update(row.terms)
            if row.sentence.start == start:
                # "It has also ..." after "It has transformed ..." after "Medellin is ...": back
                # through the sentences that point back, to the one that names the subject.
                at = i
                while at > 0 and i - at < CONTEXT_REACH:
                    before = _context(e, rows[at - 1], rows[at], rows[at].sentence.text.strip())
                    if not before:
                        break
                    held |= before
                    at -= 1
    terms = list(dict.fromkeys(terms))
    searched = {t: fixes.get(t, ()) for t in terms}
    wanted = set(terms).union(*searched.values())
    held |= set(_in_other_forms(wanted, held))
    words = []
    for term in terms:
        typo = searched[term][0] if len(searched[term]) == 1 else None
        parts = searched[term] if len(searched[term]) > 1 else ()
        if term in held or (typo in held) or (parts and held.issuperset(parts)):
            continue
        # A term no question wrote (an earlier turn's correction a follow-up carries) as the
        # passages spell it, as under the answer; a compound as the question wrote it.
        words.append((typo and _spelling(typo, found)) or _word_of(term, questions) or _spelling(term, found)
                     or term)
    return tuple(dict.fromkeys(words))


def _word_of(term: str, questions: list[Question]) -> str | None:
    """The word behind a term in the first of `questions` that has it."""
    return next((w for q in questions if (w := q.word_of(term)) is not None), None)


def _spelling(term: str, found: list[Evidence]) -> str | None:
    """A word of the passages whose term is `term`, in lower case ("pharmaci" -> "pharmacy")."""
    for e in found:
        an = analyzer(e.hit.document.lang)
        for row in e.sentences:
            if term in row.terms:
                for token in _WORD.findall(row.sentence.text):
                    if an.terms(token) == [term]:
                        return token.lower()
    return None


def nothing(text: str, query: str, own_terms: list[str], says: str = NOTHING_FOUND) -> Answer:
    return Answer(text, query, False, says, (), (), tuple(own_terms))
