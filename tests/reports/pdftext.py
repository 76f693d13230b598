"""Read a PDF back: its text, metadata and fonts (pypdf)."""

from __future__ import annotations

import io

from pypdf import PdfReader


def read(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-"), data[:20]
    return PdfReader(io.BytesIO(data))


def text(data: bytes) -> str:
    reader = read(data)
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def fonts(data: bytes) -> set[str]:
    """Base names of the fonts of every page, and whether each one embeds its file."""
    names = set()
    for page in read(data).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            names.add(str(font.get("/BaseFont")))
    return names


def embedded_fonts(data: bytes) -> set[str]:
    embedded = set()
    for page in read(data).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            if descriptor is None:
                continue
            descriptor = descriptor.get_object()
            if any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                embedded.add(str(font.get("/BaseFont")))
    return embedded


def catalog_lang(data: bytes) -> str | None:
    lang = read(data).trailer["/Root"].get("/Lang")
    return str(lang) if lang is not None else None
