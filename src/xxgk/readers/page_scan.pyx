# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""What the HTML reader asks of a page's UTF-8 bytes before parsing it, in one pass (Cython).

:func:`scan` answers the two questions that :func:`xxgk.readers.html._page_flags` answers in
Python with several scans of the whole page (each a pass of its own over some 30 KiB):

- whether the page holds anything ``html._NOT_XML`` matches (control bytes other than tab, line
  feed and carriage return; the noncharacters U+FDD0..U+FDEF, U+FFFE and U+FFFF), so that it
  must be cleaned before parsing;
- whether its ASCII-lowered bytes (``bytes.lower``) say ``display`` or ``visibility``, so that
  hidden elements may have to be looked for.

The reader then does exactly what it does with the Python answers; only the time differs.
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_GET_SIZE


# what a byte may start: nothing of interest (0, almost every byte), a control byte, a
# noncharacter (0xEF) or one of the words (d, v): a table look-up per byte keeps the loop tight
cdef enum:
    _PLAIN = 0
    _CONTROL = 1
    _NONCHARACTER = 2
    _WORD = 3

cdef unsigned char _KIND[256]
for _b in range(256):
    _KIND[_b] = _PLAIN
for _b in range(0x20):
    if _b not in (0x09, 0x0A, 0x0D):
        _KIND[_b] = _CONTROL
_KIND[0xEF] = _NONCHARACTER
for _b in b"dDvV":
    _KIND[_b] = _WORD


cdef inline bint _says(const unsigned char *p, Py_ssize_t left, const char *word, Py_ssize_t size) noexcept nogil:
    """Whether the ``left`` bytes at ``p``, ASCII-lowered, start with ``word`` (``size`` bytes)."""
    cdef Py_ssize_t k
    cdef unsigned char c
    if left < size:
        return False
    for k in range(size):
        c = p[k]
        if 65 <= c <= 90:
            c += 32
        if c != <unsigned char>word[k]:
            return False
    return True


cdef extern from *:
    """
    /* The first byte from q on (before end) that kind marks, or end: four bytes a step. */
    static const unsigned char *xxgk_next_marked(const unsigned char *q, const unsigned char *end,
                                                 const unsigned char *kind) {
        while (end - q >= 4 && !(kind[q[0]] | kind[q[1]] | kind[q[2]] | kind[q[3]])) q += 4;
        while (q < end && !kind[*q]) q++;
        return q;
    }
    """
    const unsigned char *xxgk_next_marked(const unsigned char *q, const unsigned char *end, const unsigned char *kind) noexcept nogil


def scan(bytes data):
    """``(unsafe, may_hide)`` of the page ``data``: see the module's note."""
    cdef const unsigned char *p = <const unsigned char *>PyBytes_AS_STRING(data)
    cdef const unsigned char *end = p + PyBytes_GET_SIZE(data)
    cdef const unsigned char *q = p
    cdef unsigned char kind
    cdef bint unsafe = False, may_hide = False
    while True:
        q = xxgk_next_marked(q, end, _KIND)
        if q == end:
            break
        kind = _KIND[q[0]]
        if kind == _CONTROL:
            unsafe = True
        elif kind == _NONCHARACTER:
            if not unsafe and end - q > 2:
                if q[1] == 0xB7:
                    unsafe = 0x90 <= q[2] <= 0xAF
                elif q[1] == 0xBF:
                    unsafe = q[2] == 0xBE or q[2] == 0xBF
        elif not may_hide:
            if q[0] == 0x64 or q[0] == 0x44:  # d D
                may_hide = _says(q, end - q, b"display", 7)
            else:
                may_hide = _says(q, end - q, b"visibility", 10)
        if unsafe and may_hide:
            break
        q += 1
    return unsafe, may_hide
