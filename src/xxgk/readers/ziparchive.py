"""Opening zip containers (DOCX, XLSX, plain archives) without trusting them.

:mod:`zipfile` reads the whole central directory into memory before anyone can count the
entries, so a small archive listing a million entries costs seconds and hundreds of MB.  The
directory is counted here first, stopping at :data:`limits.MAX_ZIP_ENTRIES`.  Reading parts
is bounded in :mod:`.docx`.
"""

from __future__ import annotations

import io
import struct
import zipfile

from .. import limits
from ..errors import UnreadableInput

_EOCD = b"PK\x05\x06"
_EOCD64 = b"PK\x06\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_CENTRAL = b"PK\x01\x02"
_EOCD_SIZE = 22
_EOCD64_SIZE = 56
_EOCD64_LOCATOR_SIZE = 20
_CENTRAL_SIZE = 46

CORRUPT = "压缩文件已损坏，无法打开 (corrupt zip container)"
TOO_MANY = "压缩文件包含的条目过多，疑似恶意文件 (too many zip entries)"


def _directory(data: bytes) -> tuple[int, int] | None:
    """(start, size) of the central directory as :mod:`zipfile` will find it, or None."""
    end = len(data) - _EOCD_SIZE
    if end < 0:
        return None
    if data[end : end + 4] != _EOCD:
        end = data.rfind(_EOCD, max(0, len(data) - _EOCD_SIZE - 0xFFFF), len(data))
        if end < 0 or end + _EOCD_SIZE > len(data):
            return None
    size, _offset = struct.unpack_from("<LL", data, end + 12)
    location = end
    loc = end - _EOCD64_LOCATOR_SIZE
    if loc >= 0 and data[loc : loc + 4] == _EOCD64_LOCATOR:
        rec = loc - _EOCD64_SIZE
        if rec < 0 or data[rec : rec + 4] != _EOCD64:
            return None
        (size,) = struct.unpack_from("<Q", data, rec + 40)
        location = rec
    start = location - size
    if start < 0:
        return None
    return start, size


def count_entries(data: bytes, stop: int) -> int:
    """Number of central directory entries, counting no further than ``stop`` + 1."""
    found = _directory(data)
    if found is None:
        return 0  # zipfile will report the damage
    pos, size = found
    end = pos + size
    count = 0
    while pos < end and count <= stop:
        if pos + _CENTRAL_SIZE > len(data) or data[pos : pos + 4] != _CENTRAL:
            break
        n, m, k = struct.unpack_from("<HHH", data, pos + 28)
        pos += _CENTRAL_SIZE + n + m + k
        count += 1
    return count


def open_zip(data: bytes) -> zipfile.ZipFile:
    """A :class:`zipfile.ZipFile` over ``data``, refusing corrupt or overfull containers."""
    if count_entries(data, limits.MAX_ZIP_ENTRIES) > limits.MAX_ZIP_ENTRIES:
        raise UnreadableInput(TOO_MANY)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error,
            NotImplementedError):  # fmt: skip  # "zip file version 6.4": a damaged header
        raise UnreadableInput(CORRUPT) from None
    if len(zf.infolist()) > limits.MAX_ZIP_ENTRIES:
        raise UnreadableInput(TOO_MANY)
    return zf
