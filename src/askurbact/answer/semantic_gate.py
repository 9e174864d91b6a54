"""The "nothing found" gate when the semantic extra took part: the lexical gate's evidence
(answer/gate.py) and the cosine of the passage it quotes first to the question (refitted
after the second review: the closest passage's cosine let through a passage by another's).

A model of its own, fitted the same way (benchmarks/fit_gate.py --semantic, on SQuAD part
1). Its questions all share words with their passages, so the model learnt to want lexical
evidence beside the cosine; a paraphrase that shares no word with its passage, or a
question in another language, has none. So the gate also answers when the best cosine
alone is high: COSINE_ALONE abstains on 99% of SQuAD's absent-article questions by itself,
and joined to the model it moves found / abstain from 0.984 / 0.932 to 0.986 / 0.930 on the
held-out split (docs/quality.md, "Semantic extra").
"""

from __future__ import annotations

from .gate import GateEvidence

# Fitted as gate.COEFFICIENTS (threshold folded into the bias: answer at score >= 0), with "cosine".
COEFFICIENTS = {"sentence": 2.65, "window": 2.82, "title": 2.54, "pairs": 1.51, "unknown_names": -0.952,
                "missing_names": -0.453, "explained": 0.807, "bm25": 1.13, "documents": 2.06, "small": 0.0,
                "cosine": 24.4, "bias": -24.3}

# The best cosine from which a passage counts as found whatever its words (fit_gate.py --semantic).
COSINE_ALONE = 0.84


def score(evidence: GateEvidence | None, cosine: float) -> float:
    c = COEFFICIENTS
    return (c["bias"] if evidence is None else evidence.score(c)) + c["cosine"] * cosine


def answers(evidence: GateEvidence | None, cosine: float) -> bool:
    return score(evidence, cosine) >= 0.0 or cosine >= COSINE_ALONE
