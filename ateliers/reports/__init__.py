"""PDF reports and open-data exports: functions that return bytes or rows; views stream them.

- ``pdf``: fonts (a TTF that covers French, embedded), styles, document metadata, QR codes.
- ``event``: the organizers' event report, section by section.
- ``badges``: name badges (A4 sheets) and the venue poster, with the join QR code.
- ``exports``: the open-data rows (CSV/JSON) with their documented, stable columns.
"""
