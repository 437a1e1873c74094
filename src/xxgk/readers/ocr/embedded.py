"""Reports published as pictures inside a Word file or a web page.

Some agencies paste a scan of the report into a .docx or a CMS page.  When such a document has
no table text, its pictures are read by OCR in the order the body shows them: in a Word file the
images the body refers to (``a:blip r:embed`` through the main part's relationships, read with
the container's size limits); in HTML the inline ``<img src="data:image/…;base64,…">`` pictures.
Pictures linked by URL or relative path are not fetched: a reader never opens other files or
the network on a document's say-so.  Pictures too small to hold a page of text are skipped.
"""

from __future__ import annotations

import base64
import binascii
import posixpath
import re

from ...document import Block
from ...errors import UnreadableInput
from ..pages import pages_to_blocks
from . import Clock, image_scale, read_images
from .image import open_pages

#: a picture narrower or lower than this (pixels) is a logo or a seal, not a page
MIN_SIDE = 400
#: most pictures of one document read
MAX_IMAGES = 50

_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_DATA_IMG = re.compile(
    rb"""<img\b[^>]*?\bsrc\s*=\s*["']\s*data:image/(?:png|jpe?g|gif|bmp|tiff?)\s*;\s*base64\s*,([A-Za-z0-9+/=\s]+)["']""",
    re.I,
)


def images_to_blocks(pictures: list[bytes]) -> list[Block]:
    """The pictures (image file bytes) read by OCR as consecutive pages."""
    images = []
    for data in pictures[:MAX_IMAGES]:
        try:
            frames, dpi = open_pages(data)
        except UnreadableInput:
            continue  # a damaged or hostile picture in a document that reads otherwise
        images += [(im, image_scale(im, dpi)) for im in frames if min(im.size) >= MIN_SIDE]
    if not images:
        return []
    with Clock() as clock:
        pages = read_images(images, clock)
    return pages_to_blocks(pages)


def docx_pictures(zipped, body, main_part: str) -> list[bytes]:
    """The images a Word body shows, in order (``zipped``: the reader's bounded zip access)."""
    rels_name = posixpath.join(posixpath.dirname(main_part), "_rels", posixpath.basename(main_part) + ".rels")
    if rels_name not in zipped.names:
        return []
    targets = {}
    for rel in zipped.xml(rels_name).iter(_REL):
        if rel.get("TargetMode") == "External":
            continue
        target = posixpath.normpath(posixpath.join(posixpath.dirname(main_part), rel.get("Target", "")))
        targets[rel.get("Id")] = target
    out = []
    seen = set()
    for blip in body.iter(_BLIP):
        target = targets.get(blip.get(_EMBED))
        if target and target in zipped.names and target not in seen:
            seen.add(target)
            out.append(zipped.read(target))
            if len(out) >= MAX_IMAGES:
                break
    return out


def html_pictures(data: bytes) -> list[bytes]:
    """The inline (data: URI) pictures of a web page, in order."""
    out = []
    for m in _DATA_IMG.finditer(data):
        try:
            out.append(base64.b64decode(re.sub(rb"\s+", b"", m.group(1)), validate=True))
        except (binascii.Error, ValueError):
            continue
        if len(out) >= MAX_IMAGES:
            break
    return out
