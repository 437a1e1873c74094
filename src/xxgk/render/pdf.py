"""The report as a PDF: the Word file of :mod:`xxgk.render.docx`, converted by LibreOffice.

The Word file names the GB/T 9704 faces (方正小标宋简体, 仿宋_GB2312, 黑体) that a Linux machine
seldom has; for the conversion they are mapped to the CJK fonts the set-up installs (Noto Serif
/ Sans CJK SC from fonts-noto-cjk, WenQuanYi Zen Hei from fonts-wqy-zenhei), which LibreOffice
embeds as subsets, so every character has a real glyph and the text layer reads back.
"""

from __future__ import annotations

import shutil
import subprocess

from ..errors import XxgkError
from ..report.model import Report
from .docx import BODY_FONT, HEADING_FONT, LATIN_FONT, TITLE_FONT, render_docx

_SERIF = ("Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN", "WenQuanYi Zen Hei")
_SANS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei")

#: font families the Word file names -> installed families used in their place, in order
FONT_SUBSTITUTES: dict[str, tuple[str, ...]] = {
    TITLE_FONT: _SERIF,
    BODY_FONT: _SERIF,
    HEADING_FONT: _SANS,
    "仿宋": _SERIF,
    "宋体": _SERIF,
    "SimSun": _SERIF,
    "FangSong": _SERIF,
    "SimHei": _SANS,
    # the Latin face of the Word file: Noto Serif CJK's digits are narrower than DejaVu Serif's
    # (what fontconfig picks for Times New Roman when Liberation is absent)
    LATIN_FONT: ("Liberation Serif", "Noto Serif CJK SC", "DejaVu Serif"),
}


_cjk_font_known: bool | None = None


def _has_cjk_font() -> bool | None:
    """Whether fontconfig knows a font covering Chinese (None when it cannot be asked)."""
    global _cjk_font_known
    if _cjk_font_known is not None:
        return _cjk_font_known
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        out = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    _cjk_font_known = bool(out.strip())
    return _cjk_font_known


def render_pdf(report: Report) -> bytes:
    from .. import office

    if _has_cjk_font() is False:
        raise XxgkError(
            "未安装中文字体，PDF 将无法显示汉字（apt-get install fonts-noto-cjk）(no CJK font installed)"
        )
    return office.convert(render_docx(report), ".docx", "pdf:writer_pdf_Export", fonts=FONT_SUBSTITUTES)
