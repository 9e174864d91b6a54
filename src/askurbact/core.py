"""The headless core: one object the command line and the chat UI both talk to.

It owns the settings, keeps the index fresh, answers questions (with a conversation's
context) and reports on the corpus. It never imports a UI toolkit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .analysis.question import Question, analyse_question, candidate_languages, clean_question, has_answer_type
from .answer import gate, semantic_gate
from .answer.meaning import by_meaning
from .answer.model import Answer
from .answer.select import compose, nothing, quote_missing, searched_words
from .config import Settings
from .errors import IndexBusy, IndexProblem, QuestionError
from .index import vectors
from .index.freshness import check_freshness
from .index.live import LiveReader
from .index.manifest import read_manifest
from .index.reader import IndexReader
from .model import Document, Hit, Passage
from .search import compounds, rerank, semantic
from .search.filter import Filter
from .search.fuzzy import Correction, Vocabulary, by_term, corrected, corrections
from .search.query import CARRIED_WEIGHT, SearchPlan, plan_search
from .search.topk import containing, search
from .session import Session, SessionStore

if TYPE_CHECKING:  # the writer (and its imports) loads only when the index must change
    from .index.writer import UpdateReport
    from .ingest.lines import ExtractedText

@dataclass(frozen=True)
class Retrieved:
    """A question's passages, re-ranked, and the gate's evidence: what `ask` decides on."""

    text: str  # the question as searched (cleaned)
    question: Question
    plan: SearchPlan
    fixes: list[Correction]
    found: list[rerank.Evidence]
    weights: dict[str, float]  # of the searched terms, carried ones lighter
    shown: frozenset[tuple[str, str]]  # a follow-up's previous quotes: (path, quote)
    evidence: gate.GateEvidence | None
    where: Filter | None = None  # the filter the search ran under
    cosine: float | None = None  # the first passage's cosine, when the semantic extra took part
    reader: IndexReader | None = None  # the index it searched: `ask` goes on with the same one
    dense: semantic.Dense | None = None  # that index's passage vectors, when the extra took part

    @property
    def goes_on(self) -> bool:
        """A follow-up whose best passage is the one the previous answer quoted goes on with
        it, the gate aside ("Who took part?" shares no word with "brought together"), if
        that passage holds what the question asks for: "How much did they pay?" goes on
        only with a passage that has a number, else the gate judges it like any question."""
        if not self.found or not self.found[0].continues:
            return False
        kind = self.question.answer_type
        return kind is None or any(has_answer_type(s.sentence.text, kind, self.question)
                                   for s in self.found[0].sentences)


def _quotes_of(answers: list[Answer]) -> frozenset[tuple[str, str]]:
    """The quotes answers showed, as (path, quote with its white space made single)."""
    return frozenset((c.path, " ".join(c.quote.split())) for a in answers for c in a.citations)


def _corpus_share(reader: IndexReader, hit: Hit) -> float:
    """The share of the corpus's passages in the document of `hit`: how often its passages
    would be among the best by chance."""
    doc = int(reader.passage_doc[hit.index]) if 0 <= hit.index < reader.n_slots else -1
    return reader.doc_passages[doc][1] / max(1, reader.n_passages) if doc >= 0 else 1.0


@dataclass(frozen=True)
class IndexStatus:
    documents: int
    passages: int
    built_at: str
    skipped: int


@dataclass(frozen=True)
class PassageContext:
    """A cited passage as the index holds it now, between its neighbours in the document."""

    before: Passage | None
    passage: Passage
    after: Passage | None


def _judged(got: Retrieved) -> tuple[bool, float]:
    """How the gate judges a retrieval: let through (or going on), then its score."""
    return got.goes_on or gate.answers(got.evidence), got.evidence.score() if got.evidence else -math.inf


def _retrieve_in_each(assistant: Assistant, reader: IndexReader, question: str, langs: list[str],
                      session: Session | None, k: int, where: Filter | None) -> Retrieved:
    """`retrieve` over several languages: each the question may be in ("huertos de la ciudad":
    Spanish or French) and those its previous answer quoted; the best the gate lets through
    is kept. One made only of names ("Who is Dieter Salomon?") that finds nothing there is
    searched in the others too. Only such a one: stemmed as another language, its other words
    are unknown there, which the gate does not count ("Did Lyon ban cars?" would be answered
    by any French sentence naming Lyon)."""
    quoted = _languages_quoted(reader, session)
    first = [*langs, *(lang for lang in quoted if lang not in langs)]
    tried, failed = _retrieved_in(assistant, reader, question, first, session, k, where)
    if not tried:
        raise failed[0]
    best = max(tried, key=_judged)
    if _judged(best)[0] or not best.question.names or not set(best.question.terms) <= best.question.names:
        return best
    others, _ = _retrieved_in(assistant, reader, question, [lang for lang in reader.langs if lang not in first],
                              session, k, where)
    passed = [got for got in others if _judged(got)[0]]
    return max(passed, key=_judged) if passed else best  # else "nothing found" in the question's own reading


def _retrieved_in(assistant: Assistant, reader: IndexReader, question: str, langs: list[str],
                  session: Session | None, k: int, where: Filter | None
                  ) -> tuple[list[Retrieved], list[QuestionError]]:
    """The question's retrieval in each of `langs`, and the errors of those where it has no
    words to search (all of them common ones in that language, not in another)."""
    tried, failed = [], []
    for lang in langs:
        try:
            tried.append(assistant._retrieve_in(reader, question, analyse_question(question, [lang]), session,
                                                k, where))
        except QuestionError as exc:
            failed.append(exc)
    return tried, failed


def _languages_quoted(reader: IndexReader, session: Session | None) -> list[str]:
    """The languages of the documents the previous turn's answer quoted."""
    last = session.last if session else None
    if last is None or not last.answer.found:
        return []
    lang_of = {d.path: d.lang for d in reader.documents}
    return list(dict.fromkeys(lang_of[c.path] for c in last.answer.citations if c.path in lang_of))


def _with_unknown_nouns_as_names(asked: Question, reader: IndexReader) -> Question:
    """A German word after an article that the corpus never uses ("die Ukraine") is taken for
    a name it lacks, one it uses ("die Projekte") for a noun (analysis.question: `nouns`)."""
    unknown = {t for t in asked.nouns if reader.doc_freq(t) == 0}
    return replace(asked, names=asked.names | unknown) if unknown else asked


def _names_of(got: Retrieved, earlier: list[Question]) -> frozenset[str]:
    """The names an answer is about: the question's; for a follow-up that names nothing of
    its own ("What else did the city do?"), those it carries from the turns before."""
    return got.question.names or frozenset(got.plan.carried) & frozenset().union(*(q.names for q in earlier))


class Assistant:
    def __init__(self, settings: Settings, notify: Callable[[str], None] | None = None):
        self.settings = settings
        self.notify = notify or (lambda message: None)
        self.sessions = SessionStore(settings.home)
        self._live = LiveReader(settings.index)
        self._fuzzy: Vocabulary | None = None
        self._dense: tuple[IndexReader, semantic.Dense | None] | None = None

    # -------------------------------------------------------------- index

    def update(self, full: bool = False, progress=None, jobs: int | None = None) -> UpdateReport:
        from .index.writer import update_index

        report = update_index(self.settings, full=full, progress=progress, jobs=jobs,
                              on_wait=lambda: self.notify("waiting for another 'askurbact index' to finish..."))
        self._live.forget()
        return report

    def ensure_index(self) -> None:
        """Build a missing index, update a stale one; say so through `notify`."""
        freshness = check_freshness(self.settings)
        if freshness.fresh:
            return
        before = {} if freshness.missing else self.skipped_before()
        if freshness.missing:
            self.notify(f"no index yet in {self.settings.index.resolve()}: building it (another folder: "
                        "--index DIR or ASKURBACT_INDEX=DIR)...")
            report = self.update()
        else:
            why = freshness.outdated or f"the corpus has changed ({len(freshness.changed)} file(s))"
            self.notify(f"{why}: updating the index...")
            from .index.writer import update_index

            try:
                report = update_index(self.settings, wait=False)
            except IndexProblem as exc:
                # Another run holds the lock, or the folder cannot be written (read-only, not
                # ours to write, a full disk): a valid index still answers, as it is.
                try:
                    _ = self.reader  # a valid index opens
                except IndexProblem:
                    raise exc from None
                if isinstance(exc, IndexBusy):
                    self.notify("another run is updating the index; answering from the current one")
                else:
                    self.notify(f"the index could not be updated, so it answers as it is: {exc}")
                return
            self._live.forget()
        self.notify(report.summary())
        for line in report.skipped_lines(before):
            self.notify(line)

    def skipped_before(self) -> dict[str, str]:
        """The files the current index left out: path -> why ({} without a readable index)."""
        # The manifest alone (parsed once, for the freshness check too), not an index opened
        # only to be replaced.
        try:
            manifest = read_manifest(self.settings.index)
        except IndexProblem:
            return {}
        return {path: f.reason for path, f in manifest.skipped_files.items()} if manifest else {}

    @property
    def reader(self) -> IndexReader:
        return self._live.get()

    def status(self) -> IndexStatus:
        manifest = self.reader.manifest
        return IndexStatus(manifest.documents, manifest.passages, manifest.built_at, len(manifest.skipped_files))

    def sources(self) -> list[tuple[Document, int]]:
        reader = self.reader
        return [(doc, count) for doc, (_, count) in zip(reader.documents, reader.doc_passages)]

    def passage_context(self, doc_id: str, line: int, page: int | None = None) -> PassageContext | None:
        """The passage of document `doc_id` holding `line` (on `page`), with the passages before and
        after it; None when the index no longer has such a passage (the file changed or went away)."""
        reader = self.reader
        doc_index = next((i for i, d in enumerate(reader.documents) if d.doc_id == doc_id), None)
        if doc_index is None:
            return None
        numbers = reader.passages_of(doc_index)
        for i in numbers:
            passage, _ = reader.passage(i)
            if passage.page == page and passage.first_line <= line <= passage.last_line:
                before = reader.passage(i - 1)[0] if i - 1 in numbers else None
                after = reader.passage(i + 1)[0] if i + 1 in numbers else None
                return PassageContext(before, passage, after)
        return None

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages of the indexed documents, to find a question's words in a passage."""
        return tuple(self.reader.langs)

    def tags(self) -> list[str]:
        return sorted({tag for doc in self.reader.documents for tag in doc.tags}, key=str.casefold)

    def extracted_text(self, path: str, page: int | None = None) -> ExtractedText:
        """The text askurbact extracts from a file (a path in the corpus folder, as citations
        name it, or any path), line by line as citations count lines; with `page`, that
        page of a PDF only. What `askurbact text` prints, to check a quote at its place."""
        from .ingest.file_text import file_text

        return file_text(self.settings, path, page)

    # -------------------------------------------------------------- questions

    def retrieve(self, question: str, session: Session | None = None, k: int | None = None,
                 where: Filter | None = None) -> Retrieved:
        """What a question finds before the "nothing found" gate decides (see `ask`)."""
        question = clean_question(question)
        reader = self.reader
        if reader.n_passages == 0:  # not "nothing relevant": there is nothing at all to search
            raise IndexProblem(f"there is nothing to search: the corpus folder {self.settings.corpus} has no "
                               "documents with text (Markdown, text, PDF, Word or web pages); add some and ask again")
        if where is None and session is not None:
            where = session.filter
        k = k or self.settings.top_k
        langs = candidate_languages(question, reader.langs)
        if len(reader.langs) == 1 or self._semantic(reader) is not None:
            # (With the semantic extra, the model already matches a question to passages in
            # any language: one retrieval, in the likeliest language.)
            return self._retrieve_in(reader, question, analyse_question(question, langs), session, k, where)
        return _retrieve_in_each(self, reader, question, langs, session, k, where)

    def _retrieve_in(self, reader: IndexReader, question: str, asked: Question, session: Session | None,
                     k: int, where: Filter | None) -> Retrieved:
        """`retrieve` for the question analysed in one language, over that language's passages."""
        asked = _with_unknown_nouns_as_names(asked, reader)
        fixes = corrections(reader, asked.terms, self._vocabulary(reader))
        # A name is not split: "Freiburg" is no "frei burg" (a German noun the corpus lacks reads as
        # a name too, see _with_unknown_nouns_as_names; it is still a noun).
        fixes += compounds.splits(reader, asked.terms, asked.lang, asked.word_of,
                                  frozenset(f.term for f in fixes) | (asked.names - asked.nouns))
        previous = session.last if session else None
        own = corrected(asked.terms, fixes)
        # A question all of whose own words the corpus never uses, and that does not point back
        # ("zeppelins?"; not "What else happens there?"), is about something else, not more of
        # the last subject: it starts afresh (nothing found).
        unknown = bool(own) and not (asked.all_frame or asked.points_back or asked.wants_more) \
            and all(reader.doc_freq(t) == 0 for t in own)
        plan = plan_search(asked, own, previous.search_terms if previous and not unknown else None)
        if not plan.own and not plan.carried:
            raise QuestionError("the question has no words to search for (only common words like 'what' or 'the')")
        # A follow-up is judged on its subject as a whole (below): its own words may be only "who took part?".
        subject = {t: rerank.term_weight(reader, t) for t in plan.terms}
        weights = {t: w * (1.0 if t in plan.own else CARRIED_WEIGHT) for t, w in subject.items()}
        lang = asked.lang if len(reader.langs) > 1 else None
        hits = search(reader, plan.searched, max(k, rerank.DEPTH), where, lang) \
            or containing(reader, plan.searched, max(k, rerank.DEPTH), where, lang)
        dense, cosine = self._semantic(reader), None
        if dense is not None:  # any language: the model matches a question to passages in others
            # A follow-up is embedded with the question it follows: "Who took part?" alone has no subject.
            nearest = dense.nearest(f"{previous.question} {question}" if plan.follow_up else question,
                                    max(k, rerank.DEPTH), where)
            hits = semantic.fuse(reader, hits, nearest, plan.searched, max(k, rerank.DEPTH))
        shown = _quotes_of([previous.answer]) if plan.follow_up else frozenset()
        found = rerank.rerank(hits, weights, k, asked, plan.own, shown, read_all=plan.follow_up or dense is not None)
        if dense is not None:  # the closeness of the passage the answer quotes first (by_meaning too)
            cosine = nearest.cosine_of(dense, found[0].hit.index) if found else 0.0
        # A misspelt name stands for its correction: "Kavalla" is not a name the corpus lacks.
        gone = {f.term for f in fixes if f.replaces}
        # A compound's parts are words, no names ("die Bürgerbeteiligung" read as a name it lacks).
        names = (asked.names - gone) | {f.to for f in fixes if f.term in asked.names and not f.part}
        chance = _corpus_share(reader, found[0].hit) if found else 1.0
        evidence = gate.gather(found, subject, {t: reader.doc_freq(t) > 0 for t in subject}, names,
                               reader.n_passages, gate.document_lift(hits, found[0].hit if found else None, chance))
        return Retrieved(question, asked, plan, fixes, found, weights, shown, evidence, where, cosine, reader, dense)

    def ask(self, question: str, session: Session | None = None, k: int | None = None,
            where: Filter | None = None, record: bool = True) -> Answer:
        """Answer a question; with a session, in its context, and (with `record`) save the turn.

        The chat UI answers with record=False and records on its own thread, so a cancelled
        question never touches the saved chat."""
        got = self.retrieve(question, session, k, where)
        plan, found = got.plan, got.found
        query = " ".join(plan.terms)
        goes_on = got.goes_on
        s = self.settings
        if got.cosine is not None:  # a paraphrase shares no word with its passage: no coverage floor
            refused = not semantic_gate.answers(got.evidence, got.cosine)
        else:
            refused = not gate.answers(got.evidence) or got.evidence.coverage < s.min_coverage
        fixes = by_term(got.fixes)
        earlier = []
        if session is not None and plan.follow_up:  # carried terms are shown with the words they came from
            earlier = [analyse_question(t.question, got.reader.langs) for t in reversed(session.turns)]
        questions = [got.question, *earlier]
        missing: tuple[str, ...] = ()
        if s.min_coverage > 0 and not goes_on and refused:
            answer = nothing(got.text, query, list(plan.own))
        else:
            # A follow-up prefers what no turn of the chat has shown yet ("What else?", then "Tell
            # me more": not the first answer again); the re-ranking followed the last answer only.
            seen = _quotes_of([t.answer for t in session.turns]) if session and plan.follow_up else got.shown
            answer = compose(got.question, got.text, list(plan.own), plan.terms, found, got.weights, s.max_sentences,
                             seen, _names_of(got, earlier))
            if answer.found:  # words matched them; an answer by meaning (below) shares none by design
                # A follow-up's carried subject counts: a quote about another city is off the subject.
                asked = [*(got.question.terms if plan.own else ()), *plan.carried]
                citations = tuple(replace(c, missing=quote_missing(questions, asked, fixes, found, c))
                                  for c in answer.citations)
                # Under the answer: the words none of its quotes holds.
                missing = tuple(w for w in citations[0].missing if all(w in c.missing for c in citations))
                answer = replace(answer, citations=citations)
            elif got.dense is not None:  # let through by meaning, with no word to choose by
                answer = by_meaning(got.dense, got.text, query, list(plan.own), found, s.max_sentences) or answer
        answer = replace(answer, words=searched_words(plan.terms, questions, fixes, found),
                         semantic=got.cosine is not None, missing=missing, filter=got.where or Filter())
        if session is not None and record:
            self.record(session, answer)
        return answer

    def record(self, session: Session, answer: Answer) -> None:
        """Add an answered question to a conversation and save it (atomically)."""
        session.add(answer)
        self.sessions.save(session)

    def _semantic(self, reader: IndexReader) -> semantic.Dense | None:
        """The reader's passage vectors when the semantic extra is to be used: the index has
        them, of the model installed, and the settings do not turn it off. Decided once per
        reader; without vectors in the index, nothing of the extra is looked up."""
        if self._dense is None or self._dense[0] is not reader:
            recorded = (reader.manifest.vectors or {}).get("model")
            use = recorded is not None and self.settings.semantic != "off" and vectors.installed() \
                and recorded == vectors.model_id()
            self._dense = (reader, semantic.Dense(reader) if use else None)
        return self._dense[1]

    def _vocabulary(self, reader: IndexReader) -> Vocabulary:
        """The reader's vocabulary for typo look-ups, made on first use."""
        if self._fuzzy is None or self._fuzzy.reader is not reader:
            self._fuzzy = Vocabulary(reader)
        return self._fuzzy
