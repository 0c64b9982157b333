"""HTML pages people read: one group's rendered report, and the teachers' dashboard of a scan.

`report.render_report()` renders a checked report; `dashboard.write_dashboard()` writes a scan's dashboard
and the reports it links to. Both pages are self-contained and safe to open: see `sanitize` and `page`.
Imported only by the `html` and `dashboard` commands (and the scan's `--html`), never by `check`.
"""
