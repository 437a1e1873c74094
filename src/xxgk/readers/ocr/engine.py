"""The OCR engine: Tesseract (through tesserocr, in process) with Debian's Simplified Chinese model.

The models are not downloaded: they come from the ``tesseract-ocr-chi-sim`` and
``tesseract-ocr-eng`` packages (or wherever ``TESSDATA_PREFIX`` points).  One engine per thread and mode is kept, since loading the model
takes a fraction of a second and a page asks for a hundred small reads.  Each read is bounded
by :data:`xxgk.limits.OCR_READ_SECONDS`.  A read gives characters with their boxes (pixels of
the image read) and Tesseract's confidence (the lower of the character's and its word's),
scaled to [0, 1].
"""

from __future__ import annotations

import glob
import os
import threading
from dataclasses import dataclass, replace

from PIL import Image

from ... import limits
from ...errors import UnreadableInput

LANG = "chi_sim"
#: what a number in a report's table is written with
DIGITS = "0123456789.,-%"
#: how each kind of read is done: (model, page segmentation, characters allowed)
#: "text" reads one block (a table cell) in Chinese, "line" one line;
#: "raw" reads one line in Chinese without Tesseract's own layout analysis, which finds no text
#: in a few clean lines (a "政府集中采购" read as nothing as a line or a block, right as a raw line);
#: "number" reads one line with the Latin model, which tells digits apart better than the
#: Chinese one (it never reads a 6 as 0, nor a 4 as 人4); "word" reads it as one word;
#: "digits" allows digits only
MODES = {
    "text": (LANG, "SINGLE_BLOCK", None),
    "line": (LANG, "SINGLE_LINE", None),
    "raw": (LANG, "RAW_LINE", None),
    "number": ("eng", "SINGLE_LINE", None),
    "word": ("eng", "SINGLE_WORD", None),
    "digits": ("eng", "SINGLE_LINE", DIGITS),
}

_local = threading.local()


@dataclass(frozen=True, slots=True)
class Symbol:
    text: str
    x0: int
    y0: int
    x1: int
    y1: int
    confidence: float  # in [0, 1]
    word: int  # symbols of one word (one line) share the number
    line: int


def tessdata() -> str | None:
    """The directory holding the Chinese model, or None when it is not installed."""
    candidates = []
    if os.environ.get("TESSDATA_PREFIX"):
        candidates.append(os.environ["TESSDATA_PREFIX"])
    candidates += sorted(glob.glob("/usr/share/tesseract-ocr/*/tessdata"), reverse=True)
    candidates += ["/usr/share/tessdata", "/usr/local/share/tessdata"]
    for path in candidates:
        if all(os.path.isfile(os.path.join(path, f"{lang}.traineddata")) for lang in (LANG, "eng")):
            return path
    return None


def available() -> bool:
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        return False
    return tessdata() is not None


def _api(mode: str):
    apis = getattr(_local, "apis", None)
    if apis is None:
        apis = _local.apis = {}
    api = apis.get(mode)
    if api is None:
        try:
            import tesserocr
        except ImportError:
            raise UnreadableInput("OCR 组件未安装（tesserocr）(OCR engine not installed)") from None
        path = tessdata()
        if path is None:
            raise UnreadableInput(
                "未找到 OCR 模型，请安装 tesseract-ocr-chi-sim (Chinese OCR model not installed)"
            )
        lang, psm, allowed = MODES[mode]
        api = tesserocr.PyTessBaseAPI(path=path.rstrip("/") + "/", lang=lang, psm=getattr(tesserocr.PSM, psm))
        if allowed:
            api.SetVariable("tessedit_char_whitelist", allowed)
        apis[mode] = api
    return api


def read(image: Image.Image, mode: str = "text") -> list[Symbol]:
    """The characters Tesseract reads in ``image``, by ``mode``: see :data:`MODES`."""
    import tesserocr

    api = _api(mode)
    api.SetImage(image)
    if not api.Recognize(int(limits.OCR_READ_SECONDS * 1000)):
        raise UnreadableInput(f"文字识别超时（{limits.OCR_READ_SECONDS:g} 秒）(OCR timed out)")
    out: list[Symbol] = []
    it = api.GetIterator()
    level = tesserocr.RIL.SYMBOL
    word = line = 0
    word_conf = 100.0
    for r in tesserocr.iterate_level(it, level) if it is not None else ():
        if r.IsAtBeginningOf(tesserocr.RIL.TEXTLINE):
            line += 1
        if r.IsAtBeginningOf(tesserocr.RIL.WORD):
            word += 1
        try:
            text = r.GetUTF8Text(level)
        except RuntimeError:  # an empty result
            continue
        box = r.BoundingBox(level)
        if not text or not text.strip() or box is None:
            continue
        if r.IsAtBeginningOf(tesserocr.RIL.WORD):
            word_conf = r.Confidence(tesserocr.RIL.WORD)
        # a character is as sure as its word: the character's own figure stays high where the
        # word's drops for a misread (a 9 read as "2)")
        conf = max(0.0, min(1.0, min(r.Confidence(level), word_conf) / 100.0))
        out.append(Symbol(text.strip(), *box, conf, word, line))
    api.Clear()
    return _in_order(out)


def _in_order(symbols: list[Symbol]) -> list[Symbol]:
    """Symbol boxes made to follow the reading order, with no gap inside a word.

    Tesseract's order of the characters in a line is right, but the box of a small one (a full
    stop after a digit) can be misplaced; such a box is moved next to the character before it,
    and every character of a line is given the line's height (the median top and bottom), so
    that layout analysis sees the lines Tesseract saw.  Boxes are tight around the ink, so the
    gap between two characters of one word is closed (layout analysis takes a wide gap between
    narrow characters for a space)."""
    extent: dict[int, tuple[int, int]] = {}
    for line in {s.line for s in symbols}:
        tops = sorted(s.y0 for s in symbols if s.line == line)
        bottoms = sorted(s.y1 for s in symbols if s.line == line)
        extent[line] = (tops[len(tops) // 2], bottoms[len(bottoms) // 2])
    symbols = [replace(s, y0=extent[s.line][0], y1=max(extent[s.line][1], extent[s.line][0] + 1)) for s in symbols]
    out: list[Symbol] = []
    for k, s in enumerate(symbols):
        prev = out[-1] if out and out[-1].line == s.line else None
        nxt = symbols[k + 1] if k + 1 < len(symbols) and symbols[k + 1].line == s.line else None
        if prev is not None:
            centre = (s.x0 + s.x1) / 2
            late = nxt is not None and centre > (nxt.x0 + nxt.x1) / 2
            if centre < (prev.x0 + prev.x1) / 2 or late:
                width = max(1, min(s.x1 - s.x0, prev.x1 - prev.x0))
                s = replace(s, x0=prev.x1, x1=prev.x1 + width)
            if prev.word == s.word and s.x0 > prev.x1:
                out[-1] = replace(prev, x1=s.x0)
        out.append(s)
    return out
