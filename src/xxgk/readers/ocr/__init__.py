"""Scans and images read by OCR into the same document model as every other reader.

Each page image is read by :func:`.page.read_page` into characters with boxes and ruling lines,
and the page layout analysis a PDF's text layer goes through (:mod:`xxgk.readers.pages`) turns
them into paragraphs and tables; every table cell carries the OCR confidence of its text.
Time is bounded for the whole file (:data:`xxgk.limits.OCR_SECONDS`) and for each read.
"""

from __future__ import annotations

import time

from PIL import Image

from ... import limits
from ...document import Document
from ...errors import UnreadableInput
from ..pages import PageContent, pages_to_blocks
from .engine import available
from .image import open_pages
from .page import read_page

#: points per pixel assumed for an image that does not say its resolution: an A4 page's width
A4_WIDTH = 595.0


class Clock:
    """The time spent on OCR for one file: counted while inside ``with clock:``."""

    def __init__(self) -> None:
        self.spent = 0.0
        self._since: float | None = None

    def __enter__(self) -> Clock:
        self._since = time.monotonic()
        return self

    def __exit__(self, *exc) -> None:
        self.spent = self.elapsed
        self._since = None

    @property
    def elapsed(self) -> float:
        return self.spent + (time.monotonic() - self._since if self._since is not None else 0.0)

    def check(self) -> None:
        if limits.OCR_SECONDS and self.elapsed > limits.OCR_SECONDS:
            raise UnreadableInput(f"文字识别超时（{limits.OCR_SECONDS:g} 秒）(gave up OCR)")


def image_scale(im: Image.Image, dpi: float | None) -> float:
    """Points per pixel: from the resolution the file gives, or as if the page were A4."""
    if dpi and 50 <= dpi <= 1200:
        return 72.0 / dpi
    return A4_WIDTH / min(im.width, im.height)


def read_images(images: list[tuple[Image.Image, float]], clock: Clock) -> list[PageContent]:
    """Page images, each with its points per pixel, read into pages (time counted by ``clock``)."""
    pages = []
    for k, (im, scale) in enumerate(images):
        clock.check()
        pages.append(read_page(im, scale, k + 1, clock.check))
    return pages


def read_image(data: bytes, name: str | None = None) -> Document:
    """A PNG, JPEG, TIFF, GIF or BMP file (a scanned report, one page per TIFF frame)."""
    frames, dpi = open_pages(data)
    with Clock() as clock:
        pages = read_images([(im, image_scale(im, dpi)) for im in frames], clock)
    return Document(tuple(pages_to_blocks(pages)), name=name, format="image")


__all__ = ["available", "read_image", "read_images", "image_scale", "Clock"]
