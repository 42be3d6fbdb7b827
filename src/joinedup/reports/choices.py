"""Names other code looks up: the job kind of the reports app and the formats a pack comes in."""

PACK_JOB = "reports.pack"  # make a review pack (params: partnership, organisation, format)

FORMATS = {
    "pdf": ("application/pdf", "PDF (to read or print)"),
    "html": ("text/html; charset=utf-8", "Web page (HTML)"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Spreadsheet (XLSX)"),
}
