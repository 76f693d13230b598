"""Warm a server process at startup, so the first request after a restart (often the
first report) is as fast as the next one (docs/reports.md, "Cold start").

What is cold in a fresh process, measured: importing the URL configuration (every view,
DRF, drf-spectacular, reportlab, segno…: about 3–5 s on the shared machine), then the
first render's own imports (reportlab.graphics charts), the fonts, and the translation
catalogues of the language the report is read in. ``warm()`` does all of it once, before
daphne takes requests (``livinglab/asgi.py``); it costs the same time at start-up instead.
It sits with the ASGI entry point, above every app, since it loads them all.
"""

from __future__ import annotations

import logging
import time

logger = logging.getLogger(__name__)


def warm() -> float:
    started = time.perf_counter()
    try:
        from django.conf import settings
        from django.template.loader import get_template
        from django.urls import get_resolver
        from django.utils import translation

        get_resolver().url_patterns  # noqa: B018 (imports every view module)
        from ateliers.reports import badges as _badges  # noqa: F401
        from ateliers.reports import event as _event  # noqa: F401
        from projets import datapackage as _datapackage  # noqa: F401
        from projets import reports as _project_reports  # noqa: F401

        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                _render_sample(code)
        get_template("frontend/base.html")
    except Exception:  # warming must never stop the server from starting
        logger.exception("warming up failed; the first request will be slower")
    elapsed = time.perf_counter() - started
    logger.info("warmed up in %.2f s", elapsed)
    return elapsed


def _render_sample(lang: str) -> None:
    """A small PDF with what reports use (styles, a table, a chart, dates and numbers in
    ``lang``), thrown away: loads the fonts, the charts code and the locale's formats."""
    import io

    from django.utils import timezone
    from django.utils.translation import gettext as _
    from reportlab.platypus import Table

    from ateliers.reports import pdf
    from ateliers.reports.charts import bar_chart

    s = pdf.styles()
    story = [
        pdf.para(_("Event report"), s["Cover"]),
        pdf.para(pdf.fmt_datetime(timezone.now()), s["Small"]),
        Table([[pdf.para(12345, s["Figure"]), pdf.para("é œ « »", s["CellBold"])]]),
        bar_chart(_("Ideas per theme"), [("A", 3), ("B", 5)]),
    ]
    pdf.build(story, pdf.Meta(title="warm-up", subject="warm-up", lang=lang), io.BytesIO())
