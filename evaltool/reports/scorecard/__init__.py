"""The procurement scorecard: one Evaluation as JSON, a tidy CSV and a formatted XLSX workbook."""

from __future__ import annotations

from evaltool.reports.scorecard.sheets import (
    CSV_COLUMNS,
    FIELDS,
    FORMAT_NAME,
    FORMAT_VERSION,
    csv_rows,
    export_data,
    to_csv,
    to_json,
    to_xlsx,
)

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
