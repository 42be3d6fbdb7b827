"""Names other code looks up: the job kinds of the reports app and the formats a pack comes in."""

PACK_JOB = "reports.pack"  # make a review pack (params: partnership, organisation, format)
MINUTES_JOB = "reports.minutes"  # a meeting's minutes as a PDF (params: meeting, format)
FILE_JOBS = (PACK_JOB, MINUTES_JOB)  # the jobs whose file reports:download hands over

FORMATS = {
    "pdf": ("application/pdf", "PDF (to read or print)"),
    "html": ("text/html; charset=utf-8", "Web page (HTML)"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Spreadsheet (XLSX)"),
}
