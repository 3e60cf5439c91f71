"""The procurement scorecard: one Evaluation as JSON, a tidy CSV and a formatted XLSX workbook.

Every number is the Evaluation's own, to the last digit, as in the report (README: "a scorecard for
procurement with exactly the same numbers"): JSON and CSV write floats with ``repr`` and the workbook
stores full doubles; number formats only change what a spreadsheet displays. Nothing is recomputed here.
Text that a spreadsheet would run as a formula never becomes one (SECURITY.md, "Spreadsheets").

``document`` builds the JSON, ``tidy`` the CSV, ``sheets`` the workbook (with the helpers of
``workbook`` and the look of ``styles``); ``fields`` documents the JSON keys and the CSV columns.
"""

from __future__ import annotations

from evaltool.reports.scorecard.document import export_data, to_json
from evaltool.reports.scorecard.fields import CSV_COLUMNS, FIELDS, FORMAT_NAME, FORMAT_VERSION
from evaltool.reports.scorecard.sheets import to_xlsx
from evaltool.reports.scorecard.tidy import csv_rows, to_csv

__all__ = [
    "CSV_COLUMNS",
    "FIELDS",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "csv_rows",
    "export_data",
    "to_csv",
    "to_json",
    "to_xlsx",
]
