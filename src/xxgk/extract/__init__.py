"""From a :class:`~xxgk.document.Document` to a :class:`~xxgk.report.Report`.

1. find the six sections and the title (year, agency);
2. detect the template from the tables' own labels;
3. give each published table to the template table it resembles (by labels, helped by the
   section it stands in); read paragraphs as rows where a section has no table;
4. read each template table (:mod:`.tables`), then settle digit runs that only the identities
   across rows can split.
"""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Any, Final

from rapidfuzz import fuzz, process

from ..document import Document, Paragraph, Table
from ..errors import NotAReport, UnsupportedTemplate
from ..labels.normalize import core, similarity
from ..memo import memo_text
from ..report.model import CellStatus, CellValue, Deviation, ParseWarning, Report, Section, SourceInfo
from ..templates import TemplateSpec
from ..templates.model import TableSpec
from .detect import detect_from_cores, detect_template
from .metadata import find_signature, find_title, find_year_agency, meta_date
from .rows import Row, paragraph_row, split_row
from .sections import FoundSection, find_sections
from .tables import PendingSplit, TableReader, TableResult

MAX_COMBINATIONS = 5_000
TABLE_LABEL_MATCH: Final = 88.0
FIRST_SUPPORTED_YEAR: Final = 2019


def extract(doc: Document, source: SourceInfo | None = None) -> Report:
    # each published table's cell texts reduced to what they say, counted once per document
    # (numbers are never labels: they are left out before any work is done on them)
    table_cores = {
        id(t): Counter(map(core, [c.text for row in t.rows for c in row if not c.text.isdigit()])) for t in doc.tables
    }
    all_cores: Counter = Counter()
    for counted in table_cores.values():
        all_cores.update(counted)
    spec, scores = detect_from_cores(all_cores)
    if spec is None:
        # tables flattened into lines ("规章 0 0 0"): look at paragraphs too
        spec, scores = detect_template(
            [r.label for p in doc.paragraphs if (r := paragraph_row(p)) is not None and r.labels]
            + [p.text for p in doc.paragraphs if len(p.text) <= 40]
        )
    sections, section_devs = find_sections(doc, spec.sections if spec else _any_sections())
    title, title_block = find_title(doc, sections[0].block if sections else None)
    year, agency = find_year_agency(title)
    sig_agency, signed = find_signature(doc)
    if spec is None:
        if year is not None and year < FIRST_SUPPORTED_YEAR:
            raise UnsupportedTemplate(
                f"{year}年度报告使用的是2019年以前的格式，xxgk 不支持 (unsupported template: {year} report)"
            )
        if title or sections:
            raise NotAReport("找到了年度报告的标题或章节，但没有找到主动公开、依申请公开、复议诉讼情况表格 (no report tables found)")
        raise NotAReport("不是政府信息公开工作年度报告：没有找到报告标题和表格 (not an annual report)")

    warnings: list[ParseWarning] = []
    deviations: list[Deviation] = list(section_devs)
    if agency is None and sig_agency:
        agency = sig_agency
    if agency is None:
        agency = next((v for k, v in doc.meta if k.lower() == "contentsource" and v), None)
    if year is None:
        warnings.append(ParseWarning("meta.year", "报告标题中没有找到报告年度"))
    published = signed or meta_date(doc)

    rows_by_table = _assign_rows(doc, spec, sections, table_cores)
    cells: dict[str, CellValue] = {}
    pending: list[PendingSplit] = []
    found_any = False
    for table in spec.tables:
        result = _reader(table, spec.identities).read(rows_by_table.get(table.key, []))
        if not rows_by_table.get(table.key):
            result.deviations = [Deviation("missing_table", table.key, table.title, None)]
            warnings.append(ParseWarning("table.missing", f"没有找到{table.title}"))
        found_any |= result.found
        cells.update(result.cells)
        deviations.extend(result.deviations)
        warnings.extend(result.warnings)
        pending.extend(result.pending)
    if not found_any:
        raise NotAReport("找到了年度报告的表格标题，但没有读到任何数据行 (no report rows found)")
    _resolve_pending(spec, cells, pending, warnings)

    return Report(
        template=spec.key,
        year=year,
        agency=agency,
        cells=cells,
        sections=_sections(doc, sections),
        deviations=tuple(deviations),
        warnings=tuple(warnings),
        title=title,
        published=published,
        source=source or SourceInfo(name=doc.name, format=doc.format),
    )


def _any_sections():
    from ..templates import GOV2021

    return GOV2021.sections


def _sections(doc: Document, found: list[FoundSection]) -> tuple[Section, ...]:
    out = []
    for k, f in enumerate(found):
        end = found[k + 1].block if k + 1 < len(found) else len(doc.blocks)
        text = "\n".join(b.text for b in doc.blocks[f.block + 1 : end] if isinstance(b, Paragraph))
        out.append(Section(f.spec.key, f.heading.text, text, f.heading.loc, k))
    return tuple(out)


class _TableLabels:
    """A template table's labels, gathered once: they are the same for every document.

    :meth:`hit` says whether a published cell (by its core) is one of them, exactly or by
    similarity; the verdict depends only on the cell's core, so it is memoised.
    """

    def __init__(self, spec: TableSpec):
        labels = {spec.corner or ""}
        for block in spec.blocks:
            labels.update(x for x in (block.label, block.stub_label) if x)
            for col in block.columns:
                labels.update((col.label,) + col.variants + col.groups)
            for row in block.rows:
                labels.update(x for x in (row.label,) + row.variants + row.groups if x)
        self.cores = frozenset(core(x) for x in labels) - {""}
        # only labels longer than 3 characters are compared by similarity
        self.similar_cores = tuple(sorted({core(x) for x in labels if len(x) > 3} - {""}))
        # core_similarity gives a label ending in an official one (of 2+ characters) 92: by length
        self.suffixes: dict[int, frozenset[str]] = {}
        for x in self.similar_cores:
            if len(x) >= 2:
                self.suffixes[len(x)] = self.suffixes.get(len(x), frozenset()) | {x}
        self.hit = memo_text(self._hit)

    def _hit(self, c: str) -> bool:
        """``c in cores`` or ``core_similarity(c, x) >= TABLE_LABEL_MATCH`` for some similar core x."""
        if not c:
            return False
        if c in self.cores or any(c[-n:] in xs for n, xs in self.suffixes.items() if n <= len(c)):
            return True
        return _extract_one(c, self.similar_cores, scorer=_ratio, score_cutoff=TABLE_LABEL_MATCH) is not None


_extract_one: Final = process.extractOne
_ratio: Final = fuzz.ratio
_TABLE_LABELS: Final[dict[int, tuple[TableSpec, _TableLabels]]] = {}


def _table_labels(spec: TableSpec) -> _TableLabels:
    entry = _TABLE_LABELS.get(id(spec))
    if entry is None or entry[0] is not spec:
        entry = _TABLE_LABELS[id(spec)] = (spec, _TableLabels(spec))  # holding spec keeps its id unique
    return entry[1]


_READERS: Final[dict[tuple[int, int], tuple[TableSpec, tuple, TableReader]]] = {}


def _reader(table: TableSpec, identities: tuple) -> TableReader:
    """The reader of one template table, built once: a TableReader keeps no state between reads."""
    entry = _READERS.get((id(table), id(identities)))
    if entry is None or entry[0] is not table or entry[1] is not identities:
        entry = _READERS[(id(table), id(identities))] = (table, identities, TableReader(table, identities))
    return entry[2]


def _table_score(cores: Counter, spec: TableSpec) -> float:
    """How many of a published table's cells (given as counted cores) are labels of ``spec``."""
    hit = _table_labels(spec).hit
    return float(sum(n for c, n in cores.items() if c and not c.isdigit() and hit(c)))


def _section_of(block: int, sections: list[FoundSection]) -> str | None:
    key = None
    for f in sections:
        if f.block < block:
            key = f.spec.key
    return key


def _assign_rows(
    doc: Document, spec: TemplateSpec, sections: list[FoundSection], table_cores: dict[int, Counter]
) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    table_for_section = {s.key: s.table for s in spec.sections if s.table}
    for index, block in enumerate(doc.blocks):
        if not isinstance(block, Table):
            continue
        section = _section_of(index, sections)
        best, best_key = 0.0, None
        for t in spec.tables:
            score = _table_score(table_cores[id(block)], t)
            if section and table_for_section.get(section) == t.key:
                score += 2
            if score > best:
                best, best_key = score, t.key
        if best_key is None or best < 3:
            continue
        out.setdefault(best_key, []).extend(split_row(r) for r in block.rows if r)
    # sections whose table was not published as a table: read their paragraphs as rows
    for t in spec.tables:
        if t.key in out:
            continue
        found = next((f for f in sections if f.spec.key == t.section), None)
        if found is not None:
            nxt = min((f.block for f in sections if f.block > found.block), default=len(doc.blocks))
            span = range(found.block + 1, nxt)
        elif not sections:
            span = range(len(doc.blocks))
        else:
            continue
        rows = [r for i in span if isinstance(b := doc.blocks[i], Paragraph) and (r := paragraph_row(b))]
        if rows and _rows_look_like(rows, t):
            out[t.key] = rows
    return out


def _rows_look_like(rows: list[Row], table: TableSpec) -> bool:
    labels = [r.label for b in table.blocks for r in b.rows if r.label]
    if not labels:  # 表四: numbers alone
        return any(not r.labels for r in rows)
    return any(similarity(row.label, lab) >= 85 for row in rows if row.labels for lab in labels)


def _resolve_pending(spec: TemplateSpec, cells: dict[str, CellValue], pending: list[PendingSplit], warnings) -> None:
    """Digit runs with several splits: keep a combination only if it is the one that balances."""
    if not pending:
        return
    total = 1
    for p in pending:
        total *= len(p.candidates)
    keys = {k for p in pending for k in p.keys}
    relevant = [(i.lhs, i.rhs) for i in spec.identities if keys.intersection(i.keys)]
    trial: dict[str, Any] = {k: c.value for k, c in cells.items()}  # int | Decimal | None
    solutions = []
    if total <= MAX_COMBINATIONS:
        for combo in itertools.product(*(p.candidates for p in pending)):
            for p, values in zip(pending, combo):
                trial.update(zip(p.keys, values))
            ok, checked = True, 0
            for lhs, rhs in relevant:
                left = [trial[k] for k in lhs]
                right = [trial[k] for k in rhs]
                if None in left or None in right:
                    continue
                checked += 1
                if sum(left) != sum(right):
                    ok = False
                    break
            if ok and checked:
                solutions.append(combo)
                if len(solutions) > 1:
                    break
    if len(solutions) == 1:
        for p, values in zip(pending, solutions[0]):
            raw = " ".join(t.raw for t in p.tokens)
            conf = min((t.confidence for t in p.tokens if t.confidence is not None), default=None)  # (OCR)
            for k, v in zip(p.keys, values):
                cells[k] = CellValue(k, v, CellStatus.SPLIT, raw=raw, loc=p.loc, confidence=conf)
            warnings.append(
                ParseWarning(
                    "digits.split",
                    f"“{p.label or '数据行'}”一行数字连在一起（{raw}），按表内勾稽关系唯一拆分为 {' '.join(map(str, values))}",
                    loc=p.loc,
                )
            )
        return
    for p in pending:
        raw = " ".join(t.raw for t in p.tokens)
        warnings.append(
            ParseWarning(
                "digits.ambiguous",
                f"“{p.label or '数据行'}”一行数字连在一起（{raw}），有{len(p.candidates)}种拆分方式，勾稽关系也无法确定，该行留空",
                loc=p.loc,
            )
        )
