"""PDF files with a text layer, read with pypdfium2 (PDFium).

For each page: the characters with their boxes (the text layer), and the ruling lines (path
objects drawn as thin lines or thin filled rectangles, also inside form XObjects); layout
analysis (:mod:`.pages`) turns them into paragraphs and tables.  A page with (almost) no text
layer but an image on it is a scan: it is rendered at the resolution of its images and read by
OCR (:mod:`.ocr`), so a PDF may mix typed and scanned pages.  Encrypted and damaged files are
refused with one line.  Page count, objects per page and characters per page are bounded, and
so is the time spent (OCR on its own clock).
"""

from __future__ import annotations

import ctypes
import time

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from .. import limits
from ..document import Document
from ..errors import UnreadableInput
from .ocr import Clock, read_images
from .pages import PageContent, Rule, pages_to_blocks

#: a filled rectangle thinner than this (points) is a ruling line
THIN = 2.5
#: how deep form XObjects are followed
MAX_FORM_DEPTH = 4
#: fewer characters than this in the whole file: no text layer
MIN_TEXT_CHARS = 20
#: a page with images and fewer characters than this is a scan (a scanner may stamp a page number)
MIN_PAGE_CHARS = 20

_WHITESPACE = frozenset(" \t\r\n\x00\u00a0\u3000\ufffe\uffff")


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == raw.FPDF_ERR_PASSWORD:
            raise UnreadableInput("PDF 文件已加密，需要密码才能打开 (encrypted PDF: password required)") from None
        if code == raw.FPDF_ERR_SECURITY:
            raise UnreadableInput("PDF 文件使用了不支持的加密方式 (unsupported PDF security handler)") from None
        raise UnreadableInput("PDF 文件已损坏，无法读取 (malformed PDF)") from None


class _Transform:
    """From PDF user space (origin bottom-left) to the page as seen (origin top-left)."""

    def __init__(self, page: pdfium.PdfPage):
        left, bottom, right, top = page.get_cropbox()
        self.left, self.top = left, top
        self.w, self.h = right - left, top - bottom
        self.rotation = page.get_rotation() % 360
        if self.rotation in (90, 270):
            self.width, self.height = self.h, self.w
        else:
            self.width, self.height = self.w, self.h

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        """A box given by two opposite corners in user space, as (x0, top, x1, bottom) on the page."""
        ax, ay = x0 - self.left, self.top - y0
        bx, by = x1 - self.left, self.top - y1
        rot = self.rotation
        if rot == 90:
            ax, ay, bx, by = self.h - ay, ax, self.h - by, bx
        elif rot == 180:
            ax, ay, bx, by = self.w - ax, self.h - ay, self.w - bx, self.h - by
        elif rot == 270:
            ax, ay, bx, by = ay, self.w - ax, by, self.w - bx
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def _glyphs(page: pdfium.PdfPage, tf: _Transform) -> list:
    textpage = page.get_textpage()
    try:
        tp = textpage.raw
        n = raw.FPDFText_CountChars(tp)
        if n > limits.MAX_PDF_PAGE_CHARS:
            raise UnreadableInput("PDF 页面文字过多，超出处理上限 (too many characters on a page)")
        if n <= 0:
            return []
        text = textpage.get_text_range(0, n)
        if len(text) != n:  # the text view differs from the character list: ask per character
            get = raw.FPDFText_GetUnicode
            text = "".join(chr(c) if 0 < (c := get(tp, i)) < 0x110000 else " " for i in range(n))
        rect = raw.FS_RECTF()
        ref = ctypes.byref(rect)
        box = raw.FPDFText_GetLooseCharBox
        plain = tf.rotation == 0 and tf.left == 0
        top = tf.top
        out = []
        append = out.append
        for i, ch in enumerate(text):
            if ch in _WHITESPACE or not box(tp, i, ref):
                continue
            if plain:
                append((rect.left, top - rect.top, rect.right, top - rect.bottom, ch))
            else:
                append((*tf.box(rect.left, rect.top, rect.right, rect.bottom), ch))
        return out
    finally:
        textpage.close()


class _Objects:
    """Walks a page's objects (and those inside form XObjects), collecting ruling lines."""

    def __init__(self, tf: _Transform):
        self.tf = tf
        self.rules: list[Rule] = []
        self.images = 0
        self.dpi = 0.0  # the finest resolution of the page's images
        self.count = 0
        self._f = [ctypes.c_float() for _ in range(4)]
        self._refs = [ctypes.byref(f) for f in self._f]
        self._matrix = raw.FS_MATRIX()

    def walk(self, page) -> None:
        stack = [(page.raw, raw.FPDFPage_CountObjects(page.raw), raw.FPDFPage_GetObject, None)]
        self._walk(stack)

    def _walk(self, stack) -> None:
        while stack:
            owner, n, get, matrix = stack.pop()
            for j in range(n):
                self.count += 1
                if self.count > limits.MAX_PDF_PAGE_OBJECTS:
                    raise UnreadableInput("PDF 页面对象过多，超出处理上限 (too many objects on a page)")
                obj = get(owner, j)
                kind = raw.FPDFPageObj_GetType(obj)
                if kind == raw.FPDF_PAGEOBJ_PATH:
                    self._path(obj, matrix)
                elif kind == raw.FPDF_PAGEOBJ_IMAGE:
                    self.images += 1
                    self._image(obj, matrix)
                elif kind == raw.FPDF_PAGEOBJ_FORM and len(stack) < MAX_FORM_DEPTH:
                    m = self._form_matrix(obj, matrix)
                    stack.append((obj, raw.FPDFFormObj_CountObjects(obj), raw.FPDFFormObj_GetObject, m))

    def _image(self, obj, matrix) -> None:
        """Note the resolution an image is shown at (its pixels per inch of the page)."""
        f = self._f
        w, h = ctypes.c_uint(), ctypes.c_uint()
        if not raw.FPDFImageObj_GetImagePixelSize(obj, ctypes.byref(w), ctypes.byref(h)):
            return
        if not raw.FPDFPageObj_GetBounds(obj, *self._refs):
            return
        width = f[2].value - f[0].value
        if matrix is not None:
            width *= abs(matrix[0]) or 1.0
        if width > 1:
            self.dpi = max(self.dpi, w.value * 72.0 / width)

    def _form_matrix(self, obj, outer):
        if not raw.FPDFPageObj_GetMatrix(obj, self._matrix):
            return outer
        m = self._matrix
        inner = (m.a, m.b, m.c, m.d, m.e, m.f)
        if outer is None:
            return inner
        a, b, c, d, e, f = inner
        A, B, C, D, E, F = outer
        return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)

    def _path(self, obj, matrix) -> None:
        f = self._f
        if not raw.FPDFPageObj_GetBounds(obj, *self._refs):
            return
        x0, y0, x1, y1 = f[0].value, f[1].value, f[2].value, f[3].value
        if matrix is not None:
            a, b, c, d, e, ff = matrix
            xs = [a * x + c * y + e for x in (x0, x1) for y in (y0, y1)]
            ys = [b * x + d * y + ff for x in (x0, x1) for y in (y0, y1)]
            x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        w, h = x1 - x0, y1 - y0
        if w <= THIN or h <= THIN:  # a line or a thin bar
            if max(w, h) > THIN:
                self.rules.append(Rule(*self.tf.box(x0, y0, x1, y1)))
            return
        self._outline(obj, matrix)

    def _outline(self, obj, matrix) -> None:
        """A stroked path larger than a line: its straight horizontal and vertical pieces are rules."""
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        if not raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)) or not stroke.value:
            return  # a filled area (cell shading) is not a rule
        n = raw.FPDFPath_CountSegments(obj)
        if n <= 0 or n > 4096:
            return
        if not raw.FPDFPageObj_GetMatrix(obj, self._matrix):
            return
        m = self._matrix
        own = (m.a, m.b, m.c, m.d, m.e, m.f)
        px, py = ctypes.c_float(), ctypes.c_float()
        points: list[tuple[float, float, int, bool]] = []
        for k in range(n):
            seg = raw.FPDFPath_GetPathSegment(obj, k)
            if not raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(px), ctypes.byref(py)):
                return
            x, y = own[0] * px.value + own[2] * py.value + own[4], own[1] * px.value + own[3] * py.value + own[5]
            if matrix is not None:
                a, b, c, d, e, ff = matrix
                x, y = a * x + c * y + e, b * x + d * y + ff
            points.append((x, y, raw.FPDFPathSegment_GetType(seg), bool(raw.FPDFPathSegment_GetClose(seg))))
        start = None
        prev = None
        for x, y, kind, close in points:
            if kind == raw.FPDF_SEGMENT_MOVETO or prev is None:
                start = prev = (x, y)
                continue
            if kind == raw.FPDF_SEGMENT_LINETO:
                self._edge(prev, (x, y))
            prev = (x, y)
            if close and start is not None:
                self._edge(prev, start)
                prev = start

    def _edge(self, p, q) -> None:
        (x0, y0), (x1, y1) = p, q
        if abs(x0 - x1) <= 0.5 or abs(y0 - y1) <= 0.5:
            if max(abs(x0 - x1), abs(y0 - y1)) > THIN:
                self.rules.append(Rule(*self.tf.box(x0, y0, x1, y1)))


def read_pdf(data: bytes, name: str | None = None) -> Document:
    started = time.monotonic()
    pdf = _open(data)
    try:
        count = len(pdf)
        if count > limits.MAX_PDF_PAGES:
            raise UnreadableInput(f"PDF 页数过多（{count} 页，上限 {limits.MAX_PDF_PAGES} 页）(too many pages)")
        pages: list[PageContent] = []
        images = 0
        clock = Clock()
        for i in range(count):
            if time.monotonic() - started - clock.elapsed > limits.MAX_PDF_SECONDS:
                raise UnreadableInput(f"PDF 处理超时（{limits.MAX_PDF_SECONDS:g} 秒）(gave up reading the PDF)")
            try:
                page = pdf[i]
            except pdfium.PdfiumError:
                raise UnreadableInput(f"PDF 第 {i + 1} 页已损坏，无法读取 (malformed page)") from None
            try:
                tf = _Transform(page)
                objects = _Objects(tf)
                objects.walk(page)
                images += objects.images
                glyphs = _glyphs(page, tf)
                if objects.images and len(glyphs) < MIN_PAGE_CHARS:
                    image, scale = _render(page, tf, objects.dpi)
                    with clock:
                        scanned = read_images([(image, scale)], clock)[0]
                    scanned.number = i + 1
                    pages.append(scanned)
                else:
                    pages.append(PageContent(i + 1, tf.width, tf.height, glyphs, objects.rules))
            finally:
                page.close()
        title = _title(pdf)
    finally:
        pdf.close()
    if sum(len(p.glyphs) for p in pages) < MIN_TEXT_CHARS:
        if images:
            raise UnreadableInput("扫描件 PDF 中未识别出文字 (scanned PDF: OCR found no text)")
        raise UnreadableInput("PDF 文件没有文字内容 (PDF without text)")
    blocks = pages_to_blocks(pages)
    return Document(tuple(blocks), name=name, format="pdf", title=title)


def _render(page: pdfium.PdfPage, tf: _Transform, dpi: float):
    """A scanned page as a grey image, at the resolution of its images (within the OCR bounds
    and the pixel limit), and the points per pixel."""
    dpi = min(max(dpi or 300.0, limits.OCR_MIN_DPI), limits.OCR_MAX_DPI)
    fit = (limits.MAX_IMAGE_PIXELS / max(tf.width * tf.height, 1.0)) ** 0.5 * 72
    dpi = min(dpi, fit)
    if tf.width * dpi / 72 < 100 or tf.height * dpi / 72 < 100:
        raise UnreadableInput("PDF 扫描页尺寸异常 (scanned page of an unusable size)")
    bitmap = page.render(scale=dpi / 72, grayscale=True, may_draw_forms=False)
    try:
        image = bitmap.to_pil().convert("L")
    finally:
        bitmap.close()
    return image, tf.width / image.width


def _title(pdf: pdfium.PdfDocument) -> str | None:
    try:
        return (pdf.get_metadata_value("Title") or "").strip() or None
    except (pdfium.PdfiumError, UnicodeDecodeError, KeyError):
        return None
