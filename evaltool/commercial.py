"""Procurement's data on a vendor: pricing, total cost of ownership by year and component, contract terms.

A vendor file may carry a ``commercial:`` block (docs/formats.md#commercial-keys). Its TCO feeds a metric
criterion that declares ``computed: tco_total`` (the value is the sum of the TCO, never typed twice), and
its contract dates give the notice deadline that `evaltool validate` warns about
(docs/cli.md#evaltool-validate). The models live here, not in models.py, which imports them; the value
checks they share with every file model are in :mod:`evaltool.values`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator

from evaltool.values import Date, Strict, Text, describe, problem, text

if TYPE_CHECKING:
    from evaltool.models import Catalog, Criterion, Vendor
    from evaltool.problems import Collector

Computed = Literal["tco_total"]
"""What a metric criterion's value can be computed from: ``tco_total``, the sum of ``commercial.tco``."""
PricingModel = Literal[
    "subscription", "consumption", "capacity", "per-seat", "perpetual", "support", "hybrid"
]
COMPONENTS = ("license", "infrastructure", "services", "internal")
NOTICE_HORIZON_DAYS = 90  # validate warns when a notice deadline is this close, or past
_INDEMNITY = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def _amount(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise problem(f"must be an amount (a number), not {describe(value)}")
    if not math.isfinite(value) or value < 0:
        raise problem(f"must be a finite amount of 0 or more, not {describe(value)}")
    return float(value)


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise problem(f"must be a whole number, not {describe(value)}")
    return value


def _currency(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{3}", value):
        raise problem(f"must be a three-letter ISO 4217 currency code such as 'USD', not {describe(value)}")
    return value


def _indemnity(value: Any) -> str:
    if not isinstance(value, str) or not _INDEMNITY.match(value):
        raise problem(f"must be a short lowercase name such as 'ip' or 'data-breach', not {describe(value)}")
    return value


def _cap(value: Any) -> float | str:
    return text(value) if isinstance(value, str) else _amount(value)


Amount = Annotated[float, Field(ge=0), BeforeValidator(_amount)]
Whole = Annotated[int, BeforeValidator(_whole)]


class TcoYear(Strict):
    """One year of the total cost of ownership, by component, in the block's currency."""

    year: Whole = Field(description="Contract year (1, 2, 3...) or calendar year; each once.")
    license: Amount | None = Field(None, description="Licence, subscription or consumption charges.")
    infrastructure: Amount | None = Field(None, description="Cloud or data-centre capacity the bank pays.")
    services: Amount | None = Field(None, description="Vendor or partner services: onboarding, support.")
    internal: Amount | None = Field(None, description="The bank's own staff cost (run FTE).")
    other: dict[Text, Amount] = Field(
        default_factory=dict, description="Further components by the name you give them -> amount."
    )

    @property
    def total(self) -> float:
        """The year's cost: the sum of its components."""
        return math.fsum(amount for _, amount in self.components())

    def components(self) -> Iterator[tuple[str, float]]:
        """(component, amount) of every component given, the named ones first."""
        for name in COMPONENTS:
            amount = getattr(self, name)
            if amount is not None:
                yield name, amount
        yield from self.other.items()


class Contract(Strict):
    """The contract's dates and protections."""

    start: Date | None = Field(None, description="Contract start (YYYY-MM-DD).")
    term_months: Annotated[int, Field(gt=0, le=240)] | None = Field(
        None, description="Initial term in months."
    )
    renewal: Date | None = Field(
        None, description="Renewal date (YYYY-MM-DD); without it, start plus term_months."
    )
    notice_days: Annotated[int, Field(ge=0, le=3650)] | None = Field(
        None, description="Days of notice before the renewal date to terminate or renegotiate."
    )
    liability_cap: Annotated[float | str, BeforeValidator(_cap)] | None = Field(
        None,
        description="The vendor's liability cap: an amount in the block's currency, or its terms in "
        "words (e.g. '12 months of fees').",
    )
    indemnities: list[Annotated[str, BeforeValidator(_indemnity)]] = Field(
        default_factory=list, description="Indemnities the vendor gives, e.g. ip, data-breach, ai-output."
    )
    discount_pct: Annotated[float, Field(ge=0, le=100)] | None = Field(
        None, description="Discount off list price, in percent (0..100)."
    )

    @field_validator("indemnities")
    @classmethod
    def _once(cls, indemnities: list[str]) -> list[str]:
        repeated = sorted({i for i in indemnities if indemnities.count(i) > 1})
        if repeated:
            raise problem(f"lists {', '.join(repeated)} more than once")
        return indemnities

    @model_validator(mode="after")
    def _renewal_after_start(self) -> Contract:
        if self.start is not None and self.renewal is not None and self.renewal <= self.start:
            raise problem(
                f"renewal {self.renewal.isoformat()} must come after start {self.start.isoformat()}"
            )
        return self

    @property
    def renewal_date(self) -> dt.date | None:
        """The renewal date given, else start plus the term; None when neither is known."""
        if self.renewal is not None:
            return self.renewal
        if self.start is None or self.term_months is None:
            return None
        return add_months(self.start, self.term_months)

    @property
    def notice_deadline(self) -> dt.date | None:
        """The last day to give notice: the renewal date minus notice_days; None when either is unknown."""
        renewal = self.renewal_date
        if renewal is None or self.notice_days is None:
            return None
        return renewal - dt.timedelta(days=self.notice_days)


class Commercial(Strict):
    """What procurement negotiates from: pricing, TCO by year and component, contract terms."""

    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$"), BeforeValidator(_currency)] = Field(
        description="ISO 4217 code of every amount in the block, e.g. USD."
    )
    pricing_model: PricingModel | None = Field(
        None,
        description="subscription | consumption | capacity | per-seat | perpetual | support | hybrid.",
    )
    tco: list[TcoYear] = Field(
        default_factory=list, description="Total cost of ownership, one entry per year, by component."
    )
    contract: Contract | None = Field(None, description="Contract dates and protections.")
    supplier_id: Text | None = Field(None, description="The bank's supplier record id, e.g. SUP-104233.")
    notes: Text | None = Field(None, description="Anything else procurement should know.")

    @field_validator("tco")
    @classmethod
    def _years_once(cls, years: list[TcoYear]) -> list[TcoYear]:
        seen = [y.year for y in years]
        repeated = sorted({year for year in seen if seen.count(year) > 1})
        if repeated:
            raise problem(f"year {', '.join(map(str, repeated))} appears more than once")
        return years

    @property
    def tco_total(self) -> float | None:
        """The sum of every year's TCO; None when the block gives no TCO."""
        return math.fsum(year.total for year in self.tco) if self.tco else None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, the month's last day when it is shorter (Jan 31 + 1 = Feb 28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def computed_value(criterion: Criterion, vendor: Vendor) -> float | None:
    """A computed criterion's value for the vendor (its TCO total), or None when there is none to compute."""
    if criterion.computed != "tco_total" or vendor.commercial is None:
        return None
    return vendor.commercial.tco_total


def computed_ids(catalog: Catalog, vendor: Vendor) -> set[str]:
    """The criteria whose value the vendor's commercial block provides."""
    return {k.id for k in catalog.criteria() if computed_value(k, vendor) is not None}


# --- validation -----------------------------------------------------------------------------------------


def check_commercial(catalog: Catalog, vendor: Vendor, as_of: dt.date, c: Collector) -> None:
    """A computed value typed in that differs from the one computed, a currency other than the unit of a
    computed criterion, and a notice deadline that is past or near (a warning)."""
    for criterion in catalog.criteria():
        if criterion.computed is not None:
            _check_computed(criterion, vendor, c)
    if vendor.commercial is not None and vendor.commercial.contract is not None:
        _check_notice(vendor.commercial.contract, as_of, c)


def _score_places(vendor: Vendor, criterion_id: str) -> Iterator[tuple[tuple[Any, ...], float]]:
    """(location of the number, number) of every value typed in for the criterion."""
    from evaltool.models import ScoreEntry

    maps: list[tuple[tuple[Any, ...], Any]] = [
        (("assessments", i, "scores"), a.scores) for i, a in enumerate(vendor.assessments or [])
    ]
    if vendor.scores is not None:
        maps.append((("scores",), vendor.scores))
    for base, scores in maps:
        cell = scores.get(criterion_id)
        if isinstance(cell, ScoreEntry) and cell.value is not None:
            yield (*base, criterion_id, "value"), cell.value
        elif isinstance(cell, float):
            yield (*base, criterion_id), cell


def _check_computed(criterion: Criterion, vendor: Vendor, c: Collector) -> None:
    commercial = vendor.commercial
    if commercial is None:
        return
    unit = criterion.unit
    if unit is not None and re.fullmatch(r"[A-Z]{3}", unit) and commercial.currency != unit:
        c.add(
            ("commercial", "currency"),
            f"'{criterion.id}' is computed from commercial.tco in {unit}, but the amounts here are in "
            f"{commercial.currency}; convert them to {unit}",
        )
    total = commercial.tco_total
    if total is None:
        return
    for loc, value in _score_places(vendor, criterion.id):
        if value != total:
            c.add(
                loc,
                f"'{criterion.id}' is computed as the sum of commercial.tco, {_plain(total)}; the value "
                f"{_plain(value)} given here differs: remove it (or make it equal)",
            )


def _check_notice(contract: Contract, as_of: dt.date, c: Collector) -> None:
    deadline = contract.notice_deadline
    renewal = contract.renewal_date
    if deadline is None or renewal is None:
        return
    days = (deadline - as_of).days
    if days > NOTICE_HORIZON_DAYS:
        return
    when = f"passed on {deadline.isoformat()}" if days < 0 else _within(deadline, days)
    loc = ("commercial", "contract", "notice_days")
    c.add(
        loc,
        f"the notice deadline {when} (renewal {renewal.isoformat()} minus {contract.notice_days} days' "
        f"notice; as of {as_of.isoformat()})",
        warning=True,
        code="notice-deadline",
    )


def _within(deadline: dt.date, days: int) -> str:
    if days == 0:
        return f"is today, {deadline.isoformat()}"
    return f"is {deadline.isoformat()}, in {days} day{'s' if days != 1 else ''}"


def _plain(number: float) -> str:
    return str(int(number)) if number.is_integer() else f"{number:.12g}"


# --- outputs --------------------------------------------------------------------------------------------


def commercial_json(block: Commercial | None) -> dict[str, Any] | None:
    """The commercial block as the scorecard's JSON carries it (docs/json.md), with the totals and the
    notice deadline worked out; None for a vendor without one."""
    if block is None:
        return None
    return {
        "supplier_id": block.supplier_id,
        "currency": block.currency,
        "pricing_model": block.pricing_model,
        "tco": [{"year": y.year, "components": dict(y.components()), "total": y.total} for y in block.tco],
        "tco_total": block.tco_total,
        "contract": _contract_json(block.contract),
        "notes": block.notes,
    }


def _contract_json(contract: Contract | None) -> dict[str, Any] | None:
    if contract is None:
        return None
    renewal, deadline = contract.renewal_date, contract.notice_deadline
    return {
        "start": None if contract.start is None else contract.start.isoformat(),
        "term_months": contract.term_months,
        "renewal": None if renewal is None else renewal.isoformat(),
        "notice_days": contract.notice_days,
        "notice_deadline": None if deadline is None else deadline.isoformat(),
        "liability_cap": contract.liability_cap,
        "indemnities": list(contract.indemnities),
        "discount_pct": contract.discount_pct,
    }


def component_totals(block: Commercial) -> dict[str, float]:
    """Each component's sum over the years, the named components first, then the others by first use."""
    totals: dict[str, list[float]] = {}
    for year in block.tco:
        for name, amount in year.components():
            totals.setdefault(name, []).append(amount)
    return {name: math.fsum(amounts) for name, amounts in totals.items()}
