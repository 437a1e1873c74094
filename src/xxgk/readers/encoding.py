"""Turn bytes into text: BOM, declared charset, UTF-8, GB18030 (covers GBK/GB2312), then detection."""

from __future__ import annotations

import codecs
import re

from ..errors import UnreadableInput

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", re.I)

# Chinese government sites declare gb2312/gbk while using characters outside them: read all
# three as their superset.
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "cp936": "gb18030"}


def _normal(name: str) -> str | None:
    name = name.strip().lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return _normal(m.group(1).decode("ascii", "ignore")) if m else None


# Unicode category Cc (a fixed set: U+0000-001F, U+007F-009F) less \t \n \x0b \f \r.  All of them
# are Latin-1 characters, so they are counted in the text's Latin-1 characters alone, made bytes:
# the table maps these to 0 and every other byte to 1.
_CONTROL_CODES = (*range(0x00, 0x09), *range(0x0E, 0x20), *range(0x7F, 0xA0))
_CONTROL_TABLE = bytes(0 if b in _CONTROL_CODES else 1 for b in range(256))


def count_controls(text: str) -> int:
    """How many of :data:`_CONTROL_CODES` ``text`` holds (the C encoder and byte table do the scan)."""
    return text.encode("latin-1", errors="ignore").translate(_CONTROL_TABLE).count(0)


def looks_binary(text: str) -> bool:
    """True when decoded text is full of control characters (random or binary bytes)."""
    sample = text[:20000]
    if not sample:
        return False
    bad = count_controls(sample)
    bad += sample.count("\ufffd")
    return bad > max(2, len(sample) // 200)


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data``; returns (text, encoding).  Raises :class:`UnreadableInput` for binary data.

    The encoding is ``"utf-8"`` only when ``data`` is exactly ``text`` in UTF-8 (no BOM, nothing
    replaced): UTF-8 with a BOM says ``"utf-8-sig"``.
    """
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            text = data[len(bom) :].decode(enc, errors="replace")
            if looks_binary(text):
                break
            return text, "utf-8-sig" if enc == "utf-8" else enc
    candidates = [c for c in (declared, "utf-8", "gb18030") if c]
    for enc in dict.fromkeys(candidates):
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if not looks_binary(text):
            return text, enc
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is not None:
        text = data.decode(best.encoding, errors="replace")
        if not looks_binary(text):
            return text, best.encoding
    raise UnreadableInput("无法识别的文件内容：不是文本、网页或 Word 文档 (unrecognised binary data)")
