"""Importing organisations from ODS files, the Charity Commission register extract and plain CSV.

    organisations_import(by=user, path_or_file="etr.csv", fmt="ods", dry_run=False) -> ImportReport

The web page (register/views/imports.py) and `joinedup import-organisations` both call it.
"""

from joinedup.register.imports.report import FieldChange, ImportReport, RecordChange, RowError
from joinedup.register.imports.service import FORMATS, organisations_import

__all__ = ["FORMATS", "FieldChange", "ImportReport", "RecordChange", "RowError", "organisations_import"]
