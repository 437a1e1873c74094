# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""A data table's cells read straight from libxml2's nodes (Cython, through lxml's C API).

The HTML reader (:mod:`xxgk.readers.html`) uses :func:`read_table` when this module is built and
fresh (:func:`xxgk.compiled.native`); its Python path reads the same tables through lxml's
proxies, and both give exactly the same cells:

- rows are the ``tr`` children of the table and of its ``thead``/``tbody``/``tfoot``, cells the
  ``td``/``th`` children of each row;
- a cell's text is its text nodes joined in document order, with a line break at the start and
  the end of each element of ``_CELL_BREAKS``, folded as ``html._lines`` folds it: a run of
  whitespace (the class of ``html._SPACES`` and ``\\n``) is one line break when it holds one,
  else one space, and the runs at the ends are dropped.  The text is folded as it is read, in
  UTF-8, and decoded once;
- its line is ``xmlGetLineNo`` as lxml's ``sourceline`` gives it (None when not positive), its
  row and column spans are ``html._span`` of the ``rowspan``/``colspan`` attribute values;
- a table holding a table, or a cell whose text is longer than ``LAYOUT_CELL_TEXT``, is a
  layout table: the caller reads it as the Python path does.
"""

from cpython.unicode cimport PyUnicode_DecodeUTF8
from cpython.mem cimport PyMem_Malloc, PyMem_Realloc, PyMem_Free
from libc.string cimport strcmp

cimport lxml.includes.etreepublic as cetree
from lxml.includes cimport tree
from lxml.includes.tree cimport xmlNode, xmlAttr

import lxml

from xxgk.document.model import Cell, Location

cetree.import_lxml__etree()

# the C API of lxml is read through structures of the version compiled against: never another
if lxml.__version__ != (<bytes>cetree.LXML_VERSION_STRING).decode("ascii"):
    raise ImportError(f"built against lxml {(<bytes>cetree.LXML_VERSION_STRING).decode('ascii')}, found {lxml.__version__}")

cdef extern from *:
    """
    /* A named tuple (a tuple subclass) from its five fields, as tuple.__new__(cls, fields) makes it. */
    static PyObject *xxgk_tuple5(PyObject *cls, PyObject *a, PyObject *b, PyObject *c, PyObject *d, PyObject *e) {
        PyTypeObject *type = (PyTypeObject *)cls;
        PyObject *t = type->tp_alloc(type, 5);
        if (t == NULL) return NULL;
        Py_INCREF(a); PyTuple_SET_ITEM(t, 0, a);
        Py_INCREF(b); PyTuple_SET_ITEM(t, 1, b);
        Py_INCREF(c); PyTuple_SET_ITEM(t, 2, c);
        Py_INCREF(d); PyTuple_SET_ITEM(t, 3, d);
        Py_INCREF(e); PyTuple_SET_ITEM(t, 4, e);
        return t;
    }
    """
    object xxgk_tuple5(object cls, object a, object b, object c, object d, object e)

cdef object _Cell = Cell
cdef object _Location = Location
if not (isinstance(Cell, type) and issubclass(Cell, tuple) and len(Cell._fields) == 5
        and isinstance(Location, type) and issubclass(Location, tuple) and len(Location._fields) == 5):
    raise ImportError("Cell and Location are no longer named tuples of five fields")


cdef struct Buf:
    unsigned char* data
    Py_ssize_t size
    Py_ssize_t cap


cdef int _grow(Buf* buf, Py_ssize_t more) except -1:
    cdef Py_ssize_t cap = buf.cap * 2 if buf.cap else 256
    cdef unsigned char* data
    while cap < buf.size + more:
        cap *= 2
    data = <unsigned char*>PyMem_Realloc(buf.data, cap)
    if data is NULL:
        raise MemoryError()
    buf.data = data
    buf.cap = cap
    return 0


cdef inline bint _named(xmlNode* node, const char* name) noexcept:
    return node.type == tree.XML_ELEMENT_NODE and strcmp(<const char*>node.name, name) == 0


cdef inline bint _is_break(xmlNode* node) noexcept:
    """Whether ``node`` is an element of ``html._CELL_BREAKS``: br p div li h1..h6."""
    cdef const unsigned char* n = <const unsigned char*>node.name
    if node.type != tree.XML_ELEMENT_NODE or n is NULL:
        return False
    if n[0] == c'p':
        return n[1] == 0
    if n[0] == c'b':
        return n[1] == c'r' and n[2] == 0
    if n[0] == c'l':
        return n[1] == c'i' and n[2] == 0
    if n[0] == c'd':
        return n[1] == c'i' and n[2] == c'v' and n[3] == 0
    if n[0] == c'h':
        return c'1' <= n[1] <= c'6' and n[2] == 0
    return False


# pending whitespace between two characters of a cell's text
cdef enum:
    NONE = 0
    SPACE = 1
    BREAK = 2


cdef inline int _whitespace(const unsigned char* s, int* length) noexcept:
    """What the UTF-8 character at ``s`` is (NONE, SPACE or BREAK), its byte length in ``length``
    for whitespace.  SPACE is the class of ``html._SPACES``:
    ``[\\t\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200b\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]``."""
    cdef unsigned char c = s[0]
    if c < 0x80:
        length[0] = 1
        if c == 0x0a:
            return BREAK
        if c == 0x20 or 0x09 <= c <= 0x0d or 0x1c <= c <= 0x1f:
            return SPACE
        return NONE
    if c == 0xC2:  # U+0085, U+00A0
        length[0] = 2
        return SPACE if s[1] == 0x85 or s[1] == 0xA0 else NONE
    length[0] = 3
    if c == 0xE2:
        if s[1] == 0x80:  # U+2000..U+200B, U+2028, U+2029, U+202F
            c = s[2]
            return SPACE if 0x80 <= c <= 0x8B or c == 0xA8 or c == 0xA9 or c == 0xAF else NONE
        return SPACE if s[1] == 0x81 and s[2] == 0x9F else NONE  # U+205F
    if c == 0xE3:  # U+3000
        return SPACE if s[1] == 0x80 and s[2] == 0x80 else NONE
    if c == 0xE1:  # U+1680
        return SPACE if s[1] == 0x9A and s[2] == 0x80 else NONE
    if c == 0xEF:  # U+FEFF
        return SPACE if s[1] == 0xBB and s[2] == 0xBF else NONE
    return NONE


cdef int _fold_into(Buf* buf, const unsigned char* s, int* pending, Py_ssize_t* chars) except -1:
    """Append text ``s`` (UTF-8) to ``buf`` folded; ``pending`` carries the whitespace seen
    last (written only before a character that follows it, never at the start)."""
    cdef int kind, length = 1
    cdef unsigned char c
    while s[0] != 0:
        kind = _whitespace(s, &length)
        if kind != NONE:
            if kind > pending[0]:
                pending[0] = kind
            s += length
            continue
        if buf.size + 2 > buf.cap:
            _grow(buf, 2)
        if pending[0] != NONE:
            if buf.size:
                buf.data[buf.size] = b'\n' if pending[0] == BREAK else b' '
                buf.size += 1
                chars[0] += 1
            pending[0] = NONE
        c = s[0]
        buf.data[buf.size] = c
        buf.size += 1
        s += 1
        chars[0] += 1
        # the continuation bytes of the character, copied as they are
        while (s[0] & 0xC0) == 0x80:
            if buf.size + 1 > buf.cap:
                _grow(buf, 1)
            buf.data[buf.size] = s[0]
            buf.size += 1
            s += 1
    return 0


cdef Py_ssize_t _cell_text(xmlNode* td, Buf* buf) except -1:
    """Write the text of cell ``td`` to ``buf`` (emptied first); return its length in characters."""
    cdef xmlNode* node = td.children
    cdef int pending = NONE
    cdef Py_ssize_t chars = 0
    buf.size = 0
    while node is not NULL:
        if node.type == tree.XML_TEXT_NODE or node.type == tree.XML_CDATA_SECTION_NODE:
            if node.content is not NULL:
                _fold_into(buf, <const unsigned char*>node.content, &pending, &chars)
        elif node.type == tree.XML_ELEMENT_NODE:
            if _is_break(node):
                pending = BREAK  # its start
            if node.children is not NULL:
                node = node.children
                continue
            if _is_break(node):
                pending = BREAK  # its end
        while True:  # the next node in document order, closing the elements left
            if node.next is not NULL:
                node = node.next
                break
            node = node.parent
            if node is td or node is NULL:
                node = NULL
                break
            if _is_break(node):
                pending = BREAK
    return chars


cdef xmlNode* _next_row(xmlNode* table, xmlNode* prev) noexcept:
    """The row after ``prev`` (the first row when NULL): a ``tr`` child of the table or of its
    ``thead``/``tbody``/``tfoot`` children, in document order."""
    cdef xmlNode* child
    cdef xmlNode* sub
    if prev is NULL:
        child = table.children
    elif prev.parent is not table:
        sub = prev.next
        while sub is not NULL:
            if _named(sub, "tr"):
                return sub
            sub = sub.next
        child = prev.parent.next
    else:
        child = prev.next
    while child is not NULL:
        if child.type == tree.XML_ELEMENT_NODE:
            if _named(child, "tr"):
                return child
            if _named(child, "tbody") or _named(child, "thead") or _named(child, "tfoot"):
                sub = child.children
                while sub is not NULL:
                    if _named(sub, "tr"):
                        return sub
                    sub = sub.next
        child = child.next
    return NULL


cdef inline bint _is_cell(xmlNode* node) noexcept:
    return _named(node, "td") or _named(node, "th")


cdef bint _holds_table(xmlNode* top) noexcept:
    """Whether an element below ``top`` is a ``table``."""
    cdef xmlNode* node = top.children
    while node is not NULL:
        if node.type == tree.XML_ELEMENT_NODE:
            if _named(node, "table"):
                return True
            if node.children is not NULL:
                node = node.children
                continue
        while node.next is NULL:
            node = node.parent
            if node is top or node is NULL:
                return False
        node = node.next
    return False


cdef object _attribute(xmlNode* node, const char* name):
    """The value of attribute ``name`` (no namespace) as lxml's ``items()`` gives it, or None."""
    cdef xmlAttr* attr = node.properties
    while attr is not NULL:
        if attr.ns is NULL and strcmp(<const char*>attr.name, name) == 0:
            return cetree.attributeValue(node, attr)
        attr = attr.next
    return None


cdef object _line(cetree._Document doc, xmlNode* node):
    """``sourceline`` of element ``node``.  The libxml2 inside lxml exports no functions, so its
    ``xmlGetLineNo`` is read as it reads an element's line below 65535, its ``line`` field;
    from 65535 on (where the line is kept elsewhere) lxml's proxy is asked."""
    cdef unsigned short line = node.line
    if line == 65535:
        return cetree.elementFactory(doc, node).sourceline
    return line if line > 0 else None


def read_table(cetree._Element table not None, index, Py_ssize_t max_cells, Py_ssize_t layout_text, span):
    """Read data table ``table`` (the ``index``-th data table of the page).

    Returns ``(cells, rows, area)``: the number of cells; the rows as tuples of
    :class:`~xxgk.document.Cell` (with their :class:`~xxgk.document.Location`), or None for a
    layout table (or when ``cells`` exceeds ``max_cells``: nothing more is read then); the area
    the cells span.  ``span`` is ``html._span``.
    """
    cdef xmlNode* c_table = table._c_node
    cdef xmlNode* row
    cdef xmlNode* td
    cdef Py_ssize_t count = 0, area = 0, chars, r, c
    cdef Buf buf
    cdef list rows, cells
    cdef object text, loc, rowspan, colspan, value
    row = _next_row(c_table, NULL)
    while row is not NULL:
        td = row.children
        while td is not NULL:
            if _is_cell(td):
                count += 1
            td = td.next
        row = _next_row(c_table, row)
    if count > max_cells or _holds_table(c_table):
        return count, None, 0
    buf.data = NULL
    buf.size = buf.cap = 0
    rows = []
    try:
        row = _next_row(c_table, NULL)
        r = 0
        while row is not NULL:
            cells = []
            c = 0
            td = row.children
            while td is not NULL:
                if _is_cell(td):
                    chars = _cell_text(td, &buf)
                    if chars > layout_text:
                        return count, None, 0
                    text = PyUnicode_DecodeUTF8(<char*>buf.data, buf.size, NULL)
                    rowspan = colspan = 1
                    if td.properties is not NULL:
                        value = _attribute(td, "rowspan")
                        if value is not None:
                            rowspan = span(value)
                        value = _attribute(td, "colspan")
                        if value is not None:
                            colspan = span(value)
                    area += <Py_ssize_t>rowspan * <Py_ssize_t>colspan
                    loc = xxgk_tuple5(_Location, _line(table._doc, td), None, index, r, c)
                    cells.append(xxgk_tuple5(_Cell, text, loc, rowspan, colspan, None))
                    c += 1
                td = td.next
            rows.append(tuple(cells))
            r += 1
            row = _next_row(c_table, row)
    finally:
        PyMem_Free(buf.data)
    return count, tuple(rows), area
