"""From positioned glyphs and ruling lines on pages to the document model.

This is the part of PDF reading that does not depend on where the glyphs came from (a PDF's
text layer today, OCR boxes later): :mod:`.text` groups glyphs into lines and cell text,
:mod:`.ruled` builds table grids from ruling lines, :mod:`.aligned` from the alignment of text
where a table has no lines, and :mod:`.flow` puts the pages together: page headers, footers
and numbers dropped, paragraphs joined across lines and pages, tables joined across pages.
"""

from .flow import pages_to_blocks
from .model import Glyph, PageContent, Rule

__all__ = ["Glyph", "PageContent", "Rule", "pages_to_blocks"]
