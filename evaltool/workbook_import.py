"""Reading a filled-in scoring workbook (`evaltool import`): every sheet becomes one assessment.

Every problem is collected and reported by cell, as ``FILE.xlsx:Sheet!E12: message``, before anything is
written. Every cell is read as data (docs/formats.md, "The scoring workbook"): a formula is refused, since
its result would be whatever the spreadsheet last computed; a text that begins with ``=`` is kept as text.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import warnings
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evaltool.errors import InputError, Problem
from evaltool.models import EVIDENCE_LEVELS, ID_PATTERN, RUBRIC_MAX, Catalog, Criterion, Vendor
from evaltool.problems import printable, suggest
from evaltool.workbook_template import COLUMNS, HEADER_ROW, INSTRUCTIONS, LABELS

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

MAX_BYTES = 20 * 1024 * 1024  # the workbook file
MAX_UNPACKED = 200 * 1024 * 1024  # its parts once unzipped: a small file must not unpack to gigabytes
MAX_ROWS = 20_000  # criteria rows of one sheet; the catalog has far fewer
INPUTS = ("Score", "Value", "Evidence", "Level", "Source", "Expires")  # the columns an assessor fills in
# What a YAML file cannot hold (the safe loader refuses it): control characters other than tab and line
# ends, surrogates and non-characters.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_NUMBER = re.compile(r"\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*")


@dataclass
class Imported:
    """One sheet read: the vendor it is about and the assessment to add to the vendor's file."""

    sheet: str
    vendor_id: str
    name: str
    segment: str
    assessor: str
    date: dt.date
    path: str  # the vendor file, relative to the workspace
    new: bool  # no vendor file yet: import creates it
    scores: dict[str, Any] = field(default_factory=dict)

    def assessment(self) -> dict[str, Any]:
        """The assessment as plain data, in the order a vendor file writes it."""
        return {"assessor": self.assessor, "date": self.date, "scores": self.scores}


@dataclass(frozen=True)
class WorkbookReading:
    """What a workbook holds: an assessment per filled-in sheet, and the sheets left blank."""

    imported: list[Imported]
    blank: list[str]


@dataclass(frozen=True)
class Known:
    """A vendor of the workspace: its file and model."""

    path: str
    vendor: Vendor


class _Sheet:
    """One worksheet and the problems found on it, each addressed by cell."""

    def __init__(self, label: str, ws: Worksheet, problems: list[Problem]) -> None:
        self.label, self.ws, self.problems = label, ws, problems

    def cell(self, row: int, col: int) -> Cell:
        return self.ws.cell(row=row, column=col)

    def add(self, cell: Cell, message: str) -> None:
        where = f"{self.label}:{self.ws.title}!{cell.coordinate}"
        self.problems.append(Problem(where, 0, "", message, code="invalid"))

    def value(self, row: int, col: int) -> Any:
        """The cell's value as data; a formula is reported and read as empty."""
        cell = self.cell(row, col)
        if cell.data_type == "f":
            self.add(cell, "is a formula; enter the value itself (import reads values, never formulas)")
            return None
        value = cell.value
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, str) and (bad := _UNWRITABLE.search(value)):
            self.add(cell, f"contains the control character U+{ord(bad.group()):04X}; remove it")
            return None
        return value


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number(value: Any) -> float | str:
    """A finite number, else why not (a message)."""
    if isinstance(value, bool):
        return f"must be a number, not {value}"
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        value = float(value)
    if not isinstance(value, int | float):
        return f"must be a number, not {_shown(_text(value))}"
    if not math.isfinite(value):
        return f"must be a finite number, not {value}"
    return float(value)


def _date(value: Any) -> dt.date | str:
    """A date (a date cell, or text YYYY-MM-DD), else why not."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time():
            return f"must be a date without a time, not {value.isoformat(sep=' ')}"
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return f"{value.strip()!r} is not a real date"
    return f"must be a date YYYY-MM-DD, not {_shown(_text(value))}"


def _plain(number: float) -> int | float:
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


# --- the workbook ----------------------------------------------------------------------------------------


def _open(path: Path, label: str) -> Any:
    """The workbook, or InputError saying why it cannot be read."""
    from openpyxl import load_workbook

    def refuse(message: str) -> InputError:
        return InputError([Problem(label, 0, "", message, code="unreadable")])

    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise refuse(f"is {size:,} bytes; a scoring workbook is at most {MAX_BYTES:,}")
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED:
            raise refuse(f"unpacks to {unpacked:,} bytes; at most {MAX_UNPACKED:,} are read")
    except FileNotFoundError:
        raise refuse("not found") from None
    except OSError as exc:
        raise refuse(f"cannot be read: {exc.strerror or exc}") from None
    except zipfile.BadZipFile as exc:
        raise refuse(f"is not an Excel workbook (.xlsx) that can be read: {exc}") from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read
            return load_workbook(path, data_only=False)
    except Exception as exc:  # any part of a damaged workbook fails in its own way
        raise refuse(f"is not an Excel workbook (.xlsx) that can be read: {exc}") from None


def read_scoring_workbook(
    path: Path, label: str, catalog: Catalog, known: Mapping[str, Known]
) -> WorkbookReading:
    """Every filled-in vendor sheet of the workbook as an assessment; InputError listing every problem.

    A sheet with nothing filled in below its header row is left out (a workbook for a whole segment may
    come back with some vendors not assessed). `label` is how the file is named in messages; `known` maps
    each vendor id of the workspace to its file.
    """
    book = _open(path, label)
    problems: list[Problem] = []
    found: list[Imported] = []
    blank: list[str] = []
    for ws in book.worksheets:
        if ws.title == INSTRUCTIONS:
            continue
        sheet = _Sheet(label, ws, problems)
        if not _layout_ok(sheet):
            continue
        if _blank(sheet):
            blank.append(ws.title)
            continue
        imported = _read_sheet(sheet, catalog, known)
        if imported is not None:
            _check_repeat(imported, found, sheet)
            found.append(imported)
    if not found and not problems:
        what = "nothing filled in" if blank else "no scoring sheet (see `evaltool template`)"
        problems.append(Problem(label, 0, "", f"has {what}"))
    if problems:  # printable: a sheet name or a cell's text cannot forge a line or reach the terminal raw
        raise InputError([printable(p) for p in problems])
    return WorkbookReading(found, blank)


def _blank(sheet: _Sheet) -> bool:
    columns = [COLUMNS.index(name) for name in INPUTS]
    rows = sheet.ws.iter_rows(min_row=HEADER_ROW + 1, max_col=len(COLUMNS), values_only=True)
    return all(row[col] is None or row[col] == "" for row in rows for col in columns)


def _check_repeat(imported: Imported, found: list[Imported], sheet: _Sheet) -> None:
    for other in found:
        if other.vendor_id == imported.vendor_id:
            sheet.add(
                sheet.cell(1, 2),
                f"vendor '{imported.vendor_id}' is also on sheet '{other.sheet}': one sheet per vendor",
            )


def _layout_ok(sheet: _Sheet) -> bool:
    """The labels and the table's header row are where `evaltool template` puts them."""
    first = sheet.cell(1, 1)
    if sheet.ws.max_row > HEADER_ROW + MAX_ROWS:
        sheet.add(first, f"the sheet has {sheet.ws.max_row:,} rows; a scoring sheet has one per criterion")
        return False
    if first.value != LABELS[0]:
        sheet.add(first, f"expected '{LABELS[0]}': this is not a sheet written by `evaltool template`")
        return False
    ok = True
    expected = [(row, 1, label) for row, label in enumerate(LABELS, start=1)]
    expected += [(HEADER_ROW, col, header) for col, header in enumerate(COLUMNS, start=1)]
    for row, col, text in expected:
        cell = sheet.cell(row, col)
        if cell.value != text:
            found = "an empty cell" if cell.value is None else repr(_text(cell.value))
            sheet.add(cell, f"expected '{text}', found {found}: the sheet's layout was changed")
            ok = False
    return ok


def _read_sheet(sheet: _Sheet, catalog: Catalog, known: Mapping[str, Known]) -> Imported | None:
    head = _read_head(sheet, catalog, known)
    scores = _read_rows(sheet, catalog)
    if head is None or scores is None:
        return None
    head.scores = scores
    return head


def _required_text(sheet: _Sheet, row: int, what: str) -> str | None:
    value = _text(sheet.value(row, 2))
    if not value:
        sheet.add(sheet.cell(row, 2), f"{what} is missing")
        return None
    return value


def _read_head(sheet: _Sheet, catalog: Catalog, known: Mapping[str, Known]) -> Imported | None:
    """The header cells: vendor id, name, segment, assessor, date, checked against the workspace."""
    vendor_id = _required_text(sheet, 1, "the vendor id")
    if vendor_id is not None and not re.match(ID_PATTERN, vendor_id):
        sheet.add(sheet.cell(1, 2), f"{vendor_id!r} is not a valid vendor id")
        vendor_id = None
    entry = known.get(vendor_id) if vendor_id else None
    name = _required_text(sheet, 2, "the vendor name")
    segment = _required_text(sheet, 3, "the segment")
    if segment is not None:
        _check_segment(sheet, segment, catalog, entry)
    assessor = _required_text(sheet, 4, "the assessor")
    if assessor is not None and entry is not None:
        _check_assessor(sheet, assessor, entry)
    date = _read_date(sheet)
    if None in (vendor_id, name, segment, assessor, date) or not isinstance(date, dt.date):
        return None
    assert vendor_id is not None and name is not None and segment is not None and assessor is not None
    path = entry.path if entry is not None else f"vendors/{vendor_id}.yaml"
    return Imported(sheet.ws.title, vendor_id, name, segment, assessor, date, path, entry is None)


def _check_segment(sheet: _Sheet, segment: str, catalog: Catalog, entry: Known | None) -> None:
    cell = sheet.cell(3, 2)
    if entry is not None and entry.vendor.segment != segment:
        sheet.add(
            cell, f"segment '{segment}' differs from {entry.path}, which reads '{entry.vendor.segment}'"
        )
    elif catalog.segments is not None and segment not in catalog.segments:
        sheet.add(cell, f"'{segment}' is not one of the catalog's segments: {', '.join(catalog.segments)}")


def _check_assessor(sheet: _Sheet, assessor: str, entry: Known) -> None:
    if entry.vendor.scores is not None:
        sheet.add(
            sheet.cell(1, 2),
            f"{entry.path} keeps its scores under a top-level 'scores:'; move them under 'assessments:' "
            "(one entry per assessor) before importing another assessor's scores",
        )
    elif any(a.assessor == assessor for a in entry.vendor.assessments or []):
        sheet.add(
            sheet.cell(4, 2),
            f"{entry.path} already has an assessment by '{assessor}'; import never changes an existing "
            "assessment: edit that one in the file, or give another assessor",
        )


def _read_date(sheet: _Sheet) -> dt.date | None:
    value = sheet.value(5, 2)
    if value is None:
        sheet.add(sheet.cell(5, 2), "the date of the assessment is missing")
        return None
    date = _date(value)
    if isinstance(date, str):
        sheet.add(sheet.cell(5, 2), date)
        return None
    return date


# --- the criteria rows -----------------------------------------------------------------------------------


def _read_rows(sheet: _Sheet, catalog: Catalog) -> dict[str, Any] | None:
    criteria = catalog.criterion_map()
    scores: dict[str, Any] = {}
    rows: dict[str, int] = {}
    before = len(sheet.problems)
    for row in range(HEADER_ROW + 1, sheet.ws.max_row + 1):
        cells = {name: sheet.value(row, col) for col, name in enumerate(COLUMNS, start=1)}
        if all(cells[name] is None for name in INPUTS):
            continue  # a criterion not assessed, or an empty row
        criterion_id = _text(cells["Criterion id"])
        id_cell = sheet.cell(row, 1)
        if criterion_id is None:
            sheet.add(id_cell, "a row with entries needs its criterion id")
            continue
        criterion = criteria.get(criterion_id)
        if criterion is None:
            sheet.add(id_cell, f"unknown criterion '{criterion_id}'" + suggest(criterion_id, criteria))
            continue
        if criterion_id in rows:
            sheet.add(id_cell, f"criterion '{criterion_id}' appears twice (also in row {rows[criterion_id]})")
            continue
        rows[criterion_id] = row
        entry = _entry(sheet, row, criterion, cells)
        if entry is not None:
            scores[criterion_id] = entry
    if len(sheet.problems) > before:
        return None
    return scores


def _entry(sheet: _Sheet, row: int, criterion: Criterion, cells: dict[str, Any]) -> Any:
    """One row as a vendor file writes it: the short form (a number) or the long form with evidence."""
    given = _given(sheet, row, criterion, cells)
    extra: dict[str, Any] = {}
    for name in ("Evidence", "Level", "Source", "Expires"):
        value = cells[name]
        if value is None:
            continue
        cell = sheet.cell(row, COLUMNS.index(name) + 1)
        if name == "Level":
            level = str(value).strip().lower()
            if level not in EVIDENCE_LEVELS:
                sheet.add(cell, f"level {_shown(_text(value))} is not one of {', '.join(EVIDENCE_LEVELS)}")
            extra["level"] = level
        elif name == "Expires":
            date = _date(value)
            if isinstance(date, str):
                sheet.add(cell, date)
            extra["expires"] = date
        else:
            extra[name.lower()] = _text(value)
    if given is None and not extra:
        return None
    if not extra and given is not None:
        return given[1]
    return ({given[0]: given[1]} if given is not None else {}) | extra


def _given(sheet: _Sheet, row: int, criterion: Criterion, cells: dict[str, Any]) -> tuple[str, Any] | None:
    """("score", n) or ("value", n) from the row, or None; problems go to the sheet."""
    score_cell, value_cell = (
        sheet.cell(row, COLUMNS.index("Score") + 1),
        sheet.cell(row, COLUMNS.index("Value") + 1),
    )
    score, value = cells["Score"], cells["Value"]
    if criterion.is_metric:
        if score is not None:
            sheet.add(
                score_cell, f"'{criterion.id}' is a metric criterion: give its measured Value, not a Score"
            )
        return _checked(sheet, value_cell, value, "value", criterion)
    if value is not None:
        sheet.add(value_cell, f"'{criterion.id}' is a rubric criterion: give a Score 0..5, not a Value")
    return _checked(sheet, score_cell, score, "score", criterion)


def _checked(sheet: _Sheet, cell: Cell, raw: Any, key: str, criterion: Criterion) -> tuple[str, Any] | None:
    if raw is None:
        return None
    number = _number(raw)
    if isinstance(number, str):
        sheet.add(cell, f"{key} {number}")
        return None
    if key == "score" and not 0 <= number <= RUBRIC_MAX:
        sheet.add(cell, f"score {number:g} is outside the rubric scale 0..5")
        return None
    return key, _plain(number)


def check_vendor_text(catalog: Catalog, path: str, text: str, as_of: dt.date) -> list[Problem]:
    """The errors `evaltool validate` would report for a vendor file at `path` holding `text`."""
    from evaltool.crossfile import check_vendor
    from evaltool.problems import Collector, validate_model
    from evaltool.yamlio import YamlError, load_text

    problems: list[Problem] = []
    try:
        data = load_text(text)
    except YamlError as exc:
        return [Problem(path, exc.line, "", exc.message, code="unreadable")]
    collector = Collector(path, data, problems)
    validate_model(Vendor, data, collector)
    check_vendor(catalog, Path(path).stem, as_of, collector)
    return [printable(p) for p in problems if not p.warning]
