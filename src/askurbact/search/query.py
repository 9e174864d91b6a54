"""What a question searches for: its own terms, and for a follow-up that leans on the turn
before it ("Who else took part?"), the context carried from that turn."""

from __future__ import annotations

from ..analysis import words

# Words that point back at the previous turn instead of naming their subject.
ANAPHORA = frozenset("he she it they them him his her hers its their theirs this that these those there "
                     "then else other others same".split())
CARRIED_TERMS = 8
ANSWER_TERMS = 2


def leans_on_previous(question: str, own_terms: list[str]) -> bool:
    """Does the question need the previous turn to be understood?"""
    tokens = words(question)
    starts = " ".join(tokens[:2])
    return (len(set(own_terms)) <= 2 or any(t in ANAPHORA for t in tokens)
            or starts.startswith(("and ", "what about", "how about")))


def follow_up_terms(own_terms: list[str], previous_terms: list[str], answer_terms: list[str] = ()) -> list[str]:
    """The terms to search for a follow-up: the question's own, then the previous turn's
    searched terms, then key terms of the previous answer (most specific first)."""
    carried = [t for t in dict.fromkeys(previous_terms) if t not in own_terms][:CARRIED_TERMS]
    extra = [t for t in answer_terms if t not in own_terms and t not in carried][:ANSWER_TERMS]
    return list(own_terms) + carried + extra
