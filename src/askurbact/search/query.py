"""What a question searches for: its own terms, and for a follow-up that leans on the turn
before it ("Who else took part?", "When?"), the subject carried from that turn.

By meaning, not length: a question that names a subject of its own (a name, or terms
enough to stand alone) starts a new topic; one that points back (a pronoun, "else",
"which ones?") or has almost nothing of its own leans on the previous turn. Its own
terms are searched twice, the carried ones once, so its own words weigh more; and only
the previous turn's searched terms are carried, at most CARRIED_TERMS, its own first, so
context never piles up across turns.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis.question import Question

CARRIED_TERMS = 6
# A question with more terms of its own than this, and no pointer back, stands alone.
OWN_TERMS_ALONE = 2
# How much a carried term weighs in re-ranking and the gate, against an own term's 1.
CARRIED_WEIGHT = 0.5


@dataclass(frozen=True)
class SearchPlan:
    own: tuple[str, ...]  # the question's own terms (typos corrected)
    carried: tuple[str, ...]  # from the previous turn; empty for a question that stands alone

    @property
    def follow_up(self) -> bool:
        return bool(self.carried)

    @property
    def searched(self) -> list[str]:
        """The terms given to BM25: own terms twice for a follow-up, carried ones once."""
        return [*self.own, *self.own, *self.carried] if self.carried else list(self.own)

    @property
    def terms(self) -> list[str]:
        """Each searched term once, own first: what the user is shown and the next turn carries."""
        return list(dict.fromkeys([*self.own, *self.carried]))


def leans_on_previous(question: Question, own: list[str] | tuple[str, ...]) -> bool:
    """Does the question need the previous turn to be understood?"""
    if question.names:  # it names its subject
        return False
    return question.points_back or len(set(own)) <= OWN_TERMS_ALONE


def plan_search(question: Question, own: list[str] | tuple[str, ...], previous_terms: list[str] | None) -> SearchPlan:
    """The plan for a question; `previous_terms`: the previous turn's searched terms (None: no previous turn)."""
    # "What else?" is all frame: after a turn it asks for more of that turn's subject, and
    # searching its own words ("else") would only weigh against the answer.
    own = () if question.all_frame and previous_terms else tuple(own)
    if not previous_terms or not leans_on_previous(question, own):
        return SearchPlan(own, ())
    carried = tuple(t for t in dict.fromkeys(previous_terms) if t not in own)[:CARRIED_TERMS]
    return SearchPlan(own, carried)
