"""How results are said: the sentences about a segment, shared by every output (numbers: evaltool.fmt).

The CLI, the report, the scorecard and the dashboard word a result through these functions, so a change
of wording is one edit that every output follows. Functions return plain text; callers pass ``esc`` to
escape names for their medium (Markdown, HTML) and ``strong`` to emphasise names and figures.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from evaltool.fmt import pct, score
from evaltool.models import Method

if TYPE_CHECKING:
    from evaltool.evaluation import Evaluation


def _plain(text: str) -> str:
    return text


def score_unit(method: Method) -> str:
    """What a score is measured in."""
    return "points" if method == "wsm" else "closeness"


def gap(value: float, method: Method) -> str:
    """A difference between two scores, with its unit: "1.9 points", "0.005 closeness"."""
    return f"{score(value, method)} {score_unit(method)}"


def names(items: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def segment_headline(
    segment: str,
    state: str,
    leader: tuple[str, float, float] | None,
    runner_up: tuple[str, float] | None,
    tied: Sequence[tuple[str, float]],
    method: Method,
    *,
    not_eligible: int = 0,
    alone: bool = False,
    strong: Callable[[str], str] = _plain,
    esc: Callable[[str], str] = _plain,
) -> str:
    """One sentence per segment: who leads, by how much and how sure we are, or that nobody can be named.

    ``leader`` is (name, score, share of weightings first), ``runner_up`` (name, score), ``tied`` the
    (name, share first) of the vendors a too-close-to-call segment is between; ``state`` one of
    ``leader``, ``tie``, ``only-one``, ``none``. Names pass through ``esc`` (escaping for the medium),
    emphasised parts through ``strong`` after it; ``alone``: the segment has this one vendor only.
    """
    seg = esc(segment)
    if state == "none" or leader is None:
        return f"No vendor in {seg} can be ranked: every one fails a gate or is not yet assessed."
    name, value, p_top = leader
    if state == "tie":
        between = names([strong(esc(n)) for n, _ in tied])
        shares = names([pct(p, 0) for _, p in tied])
        return (
            f"{seg} is {strong('too close to call')} between {between} (first in {shares} of weight "
            f"samples); by score {esc(name)} is ahead with {score(value, method)}."
        )
    text = f"{strong(esc(name))} leads {seg} with {strong(score(value, method))}"
    if state == "only-one" and alone:
        return text + "; it is the only vendor of the segment, so there is nobody to compare it with."
    if state == "only-one":
        failed = f" ({not_eligible} fail a gate)" if not_eligible else ""
        return text + f"; it is the only eligible vendor{failed}, so the choice is down to one."
    text += f", first in {strong(pct(p_top, 0))} of weight samples"
    if runner_up is None:
        return text + "."
    return text + f"; next is {esc(runner_up[0])}, {gap(value - runner_up[1], method)} behind."


def headline(
    evaluation: Evaluation,
    segment: str,
    strong: Callable[[str], str] = _plain,
    esc: Callable[[str], str] = _plain,
) -> str:
    """:func:`segment_headline` for one segment of an evaluation."""
    result = evaluation.result
    verdict = evaluation.verdicts[segment]
    members = result.segment(segment).vendors
    by_id = {v.id: v for v in members}
    p_top = {v.id: evaluation.sensitivity.vendors[v.id].p_top for v in members}
    leader = by_id.get(verdict.leader or "")
    others = [v for v in members if v.ranked and leader is not None and v.id != leader.id]
    return segment_headline(
        segment,
        verdict.state,
        None if leader is None else (leader.name, leader.score, p_top[leader.id]),
        (others[0].name, others[0].score) if others else None,
        [(by_id[i].name, p_top[i]) for i in verdict.tied],
        result.method,
        not_eligible=verdict.not_eligible,
        alone=len(members) == 1,
        strong=strong,
        esc=esc,
    )
