"""The text of a rendered PDF, whitespace collapsed, to compare with the sentences a report should hold."""

import io

import pypdf


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page, whitespace (line wrapping included) collapsed to single spaces."""
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def one_line(value: str) -> str:
    return " ".join(value.split())
