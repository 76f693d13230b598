"""Reads used in more than one place (API, pages, sockets, feeds), scoped to the caller,
one module per area like ``models/`` and ``services/``. Nothing is re-exported here:
import the area's module (``from ateliers.selectors import board as board_selectors``)."""
