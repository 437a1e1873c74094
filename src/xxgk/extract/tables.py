"""Reading one template table (表二, 表三 or 表四) out of the rows the document published.

Rows are matched to the declaration by their labels (normalised similarity, in table order,
with gaps between matched rows filled by position), header rows are checked against the
declared column labels, and each matched row's value cells are read into typed numbers.
Every difference from the official layout is recorded as a :class:`Deviation`; every value the
reader could not read with certainty is null with a :class:`ParseWarning`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Final

from ..document import Location, new_tuple
from ..labels.normalize import best_core_similarity, best_similarity, core, describe_deviation, same_text, similarity
from ..memo import CACHE_SIZE, MAX_TEXT, memo_text
from ..report.model import CellStatus, CellValue, Deviation, Number, ParseWarning
from ..templates.model import BlockSpec, CellKind, ColumnSpec, Identity, RowSpec, TableSpec
from ..values.parse import parse_value
from .digits import split_runs
from .rows import Row, Token, split_spaces

ROW_MATCH: Final = 80.0  # similarity needed to take a row label as a template row
COLUMN_MATCH: Final = 85.0  # similarity needed to take a header cell as a column label

# An Enum member looked up on its class goes through the Enum metaclass's attribute hook, which
# costs more than building the cell: the members used per cell are looked up once, here.
_MONEY: Final = CellKind.MONEY
_READ: Final = CellStatus.READ
_BLANK: Final = CellStatus.BLANK
_UNREADABLE: Final = CellStatus.UNREADABLE
_MISSING: Final = CellStatus.MISSING
_SPLIT: Final = CellStatus.SPLIT
# and the names used per cell are Final too: compiled, they are held in C statics, not looked up
_NEW_TUPLE: Final = new_tuple
_CELL_VALUE: Final = CellValue


@dataclass
class PendingSplit:
    """A row whose digit run has several splits; resolved later against the column identities."""

    keys: list[str]
    tokens: list[Token]
    candidates: list[tuple[Number | None, ...]]
    label: str
    loc: Location | None


@dataclass
class TableResult:
    cells: dict[str, CellValue] = field(default_factory=dict)
    deviations: list[Deviation] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    pending: list[PendingSplit] = field(default_factory=list)
    found: bool = False  # some row of the table was found


def _typed(values: tuple[int | None, ...], columns: tuple[ColumnSpec, ...]) -> tuple[Number | None, ...]:
    """Digits split from a run, each as its column's kind holds it (MONEY: Decimal)."""
    return tuple(
        Decimal(v) if v is not None and col.kind is _MONEY else v for v, col in zip(values, columns)
    )


def _labels(spec: RowSpec | ColumnSpec) -> tuple[str, ...]:
    return (spec.label,) + spec.variants


def _deviation_kind(found: str, official: str, variants: tuple[str, ...]) -> str:
    kind = describe_deviation(found, official)
    if kind != "traditional" and any(same_text(found, v) for v in variants):
        return "variant"
    return kind


def _best_similarity(text: str, officials: tuple[str, ...]) -> float:
    """The best :func:`similarity` of ``text`` to any of ``officials`` (0 if there are none)."""
    if len(text) > MAX_TEXT:
        return best_similarity(text, officials)
    return _best_similarity_memo(text, officials)


_best_similarity_memo: Final = lru_cache(maxsize=CACHE_SIZE)(best_similarity)


class TableReader:
    def __init__(self, spec: TableSpec, identities: tuple[Identity, ...]):
        self.spec = spec
        self.slots: list[tuple[BlockSpec, RowSpec]] = [(b, r) for b in spec.blocks for r in b.rows]
        labels: list[str] = [spec.corner] if spec.corner else []
        for b in spec.blocks:
            labels += [x for x in (b.label, b.stub_label) if x]
            for c in b.columns:
                labels += list(_labels(c) + c.groups)
        self.header_labels = tuple(dict.fromkeys(labels))
        self.header_cores = frozenset(core(x) for x in self.header_labels) - {""}
        self.keys = [[spec.cell_key(r, c) for c in b.columns] for b, r in self.slots]
        self.is_header_text: Callable[[str], bool] = memo_text(self._is_header_text)
        # the slots whose official label (or a variant) says exactly what a row label says
        by_core: dict[str, set[int]] = {}
        for s, (_, rspec) in enumerate(self.slots):
            for lab in _labels(rspec):
                if lab and core(lab):
                    by_core.setdefault(core(lab), set()).add(s)
        self.exact = {c: next(iter(slots)) for c, slots in by_core.items() if len(slots) == 1}
        # each labelled slot's label and variants, by their cores (what a row label is scored on)
        self.slot_cores: list[tuple[str, ...] | None] = [tuple(core(lab) for lab in _labels(rspec) if lab) if rspec.label else None for _, rspec in self.slots]
        self.scores: Callable[[str], tuple[float | None, ...]] = memo_text(self._scores)
        # identities within one row (a total column): they can split a digit run in that row
        self.row_identities: dict[str, list[Identity]] = {}
        for ident in identities:
            if ident.table != spec.key or ident.row is None:
                continue
            prefix = ".".join(p for p in (spec.key, ident.row) if p) + "."
            columns = {c.key for b in spec.blocks for c in b.columns}
            if all(k.startswith(prefix) and k[len(prefix) :] in columns for k in ident.keys):
                self.row_identities.setdefault(ident.row, []).append(ident)

    # ------------------------------------------------------------------------------------------
    def read(self, rows: list[Row]) -> TableResult:
        result = TableResult()
        # rows of column headers are never data rows, even when a header reads like a row label
        # ("总计" is both 表三's last column and, as "（七）总计", one of its rows)
        not_data = {i for i, row in enumerate(rows) if not row.values or self._header_hits(row) >= 2}
        matched = self._match(rows, not_data, result)
        data = set(matched.values())
        header_rows = {i for i, row in enumerate(rows) if i not in data and not row.has_numbers}
        self._check_headers(rows, header_rows, matched, result)
        for slot_index, (block, rspec) in enumerate(self.slots):
            if slot_index in matched:
                row = rows[matched[slot_index]]
                self._read_values(row, block, rspec, self.keys[slot_index], result)
                result.found = True
            else:
                for key in self.keys[slot_index]:
                    result.cells[key] = CellValue(key, None, _MISSING)
                result.deviations.append(
                    Deviation("missing_row", self.spec.key, rspec.label or None, None, row=rspec.key)
                )
        return result

    def _header_hits(self, row: Row) -> int:
        """How many of the row's label cells are column headers, header groups or the corner note."""
        return sum(1 for cell in row.labels if self.is_header_text(cell.text))

    def _is_header_text(self, text: str) -> bool:
        """Whether a cell's text is a column header, header group or the corner note; memoised
        as :attr:`is_header_text`."""
        return core(text) in self.header_cores or _best_similarity(text, self.header_labels) >= COLUMN_MATCH

    def _scores(self, label_core: str) -> tuple[float | None, ...]:
        """A row label's best similarity to each slot's label and variants, by the label's core
        (None for a slot without a label); memoised as :attr:`scores`: labels recur across rows
        and documents."""
        return tuple(None if cores is None else best_core_similarity(label_core, cores) for cores in self.slot_cores)

    # row matching -----------------------------------------------------------------------------
    def _match(self, rows: list[Row], header_rows: set[int], result: TableResult) -> dict[int, int]:
        """slot index -> row index"""
        matched: dict[int, int] = {}
        used_rows: set[int] = set()
        pointer = 0
        unlabeled = [s for s, (_, r) in enumerate(self.slots) if not r.label]
        for i, row in enumerate(rows):
            if i in header_rows or not row.labels:
                continue
            best: tuple[tuple[float, int], int] | None = None
            exact = self.exact.get(core(row.label))
            if exact is not None:  # the one slot that scores 100: no need to score the others
                best = ((100.0, 0), exact)
            else:
                # a row's score against a slot: the best similarity of its label (or of its label
                # cells joined) to the slot's label and variants
                scores = self.scores(core(row.label))
                joined = self.scores(core(row.joined_label)) if len(row.labels) > 1 else None
                for s, label_score in enumerate(scores):
                    if label_score is None:
                        continue
                    score = label_score if joined is None else max(label_score, joined[s] or 0.0)
                    if score < ROW_MATCH:
                        continue
                    # among equal scores prefer the slot nearest after the last match
                    proximity = -(s - pointer) if s >= pointer else -(1000 + pointer - s)
                    if best is None or (score, proximity) > best[0]:
                        best = ((score, proximity), s)
            if best is None:
                continue
            s = best[1]
            if s in matched:
                result.warnings.append(
                    ParseWarning(
                        "row.duplicate",
                        f"{self.spec.title}“{self.slots[s][1].label}”一行出现了两次，只读取第一次",
                        loc=row.loc,
                    )
                )
                continue
            matched[s] = i
            used_rows.add(i)
            pointer = s + 1
        # label-less rows (表四's single data row): the first unused row with numbers
        for s in unlabeled:
            block = self.slots[s][0]
            for i, row in enumerate(rows):
                if i in used_rows or i in header_rows:
                    continue
                if not row.labels and row.values and (row.has_numbers or len(row.values) == len(block.columns)):
                    matched[s] = i
                    used_rows.add(i)
                    break
            else:
                for i, row in enumerate(rows):
                    if i not in used_rows and i not in header_rows and row.has_numbers:
                        matched[s] = i
                        used_rows.add(i)
                        break
        self._fill_gaps(rows, header_rows, matched, used_rows, result)
        return matched

    def _fill_gaps(
        self, rows: list[Row], header_rows: set[int], matched: dict[int, int], used: set[int], result: TableResult
    ) -> None:
        """Unmatched data rows between two matched rows take the unmatched slots between them in order."""
        order = sorted(matched.items(), key=lambda kv: kv[1])
        bounds = [(-1, -1)] + [(s, i) for s, i in order] + [(len(self.slots), len(rows))]
        for (s0, i0), (s1, i1) in zip(bounds, bounds[1:]):
            if s1 <= s0 or i1 <= i0:
                continue
            free_slots = [s for s in range(s0 + 1, s1) if s not in matched and self.slots[s][1].label]
            free_rows = [
                i
                for i in range(i0 + 1, i1)
                if i not in used and i not in header_rows and rows[i].labels and rows[i].values and rows[i].has_numbers
            ]
            if not free_slots or len(free_slots) != len(free_rows):
                continue
            if s0 == -1 or s1 == len(self.slots):
                continue  # only between two rows that were recognised
            for s, i in zip(free_slots, free_rows):
                matched[s] = i
                used.add(i)
                rspec = self.slots[s][1]
                result.warnings.append(
                    ParseWarning(
                        "label.positional",
                        f"{self.spec.title}行标题“{rows[i].label}”与官方“{rspec.label}”不符，按所在位置识别",
                        loc=rows[i].loc,
                    )
                )

    # header checks ----------------------------------------------------------------------------
    def _check_headers(
        self, rows: list[Row], header_rows: set[int], matched: dict[int, int], result: TableResult
    ) -> None:
        # the header cells of each block lie between the previous block's rows and its first row
        slot = 0
        prev_end = -1
        for block in self.spec.blocks:
            row_idx = [matched[s] for s in range(slot, slot + len(block.rows)) if s in matched]
            slot += len(block.rows)
            if not row_idx:
                continue
            first = min(row_idx)
            cells = [c for i in range(prev_end + 1, first) if i in header_rows for c in rows[i].labels]
            prev_end = max(row_idx)
            if block.label:
                self._check_label(block.label, block.label_variants, cells, "missing_block", result, None, block.label)
            for col in block.columns:
                self._check_label(col.label, col.variants, cells, "missing_column", result, col.key, block.label)
            for group in dict.fromkeys(g for col in block.columns for g in col.groups):
                self._check_label(group, (), cells, "missing_column_group", result, None, block.label)
        for slot_index, row_index in matched.items():
            rspec = self.slots[slot_index][1]
            row = rows[row_index]
            if not rspec.label or not row.labels:
                continue
            found = row.label
            if same_text(found, rspec.label):  # (the official text: nothing to record)
                continue
            if similarity(found, rspec.label) < ROW_MATCH and len(row.labels) > 1:
                found = row.joined_label
            if same_text(found, rspec.label):
                continue
            kind = _deviation_kind(found, rspec.label, rspec.variants)
            result.deviations.append(
                Deviation(kind, self.spec.key, rspec.label, found, row=rspec.key, loc=row.labels[-1].loc)
            )

    def _check_label(
        self,
        official: str,
        variants: tuple[str, ...],
        cells: list,
        missing_kind: str,
        result: TableResult,
        column: str | None,
        block: str | None,
    ) -> None:
        best, best_cell = 0.0, None
        labels = (official,) + variants
        label_cores = {core(x) for x in labels} - {""}
        # a cell that says exactly one of the labels scores 100: the first such cell is the best
        best_cell = next((cell for cell in cells if core(cell.text) in label_cores), None)
        if best_cell is not None:
            best = 100.0
        for cell in cells if best_cell is None else ():
            # the first cell with the best score over all labels, as when looping over each label
            score = _best_similarity(cell.text, labels)
            if score > best:
                best, best_cell = score, cell
        if best < COLUMN_MATCH or best_cell is None:
            result.deviations.append(Deviation(missing_kind, self.spec.key, official, None, column=column, block=block))
            return
        if same_text(best_cell.text, official):
            return
        kind = _deviation_kind(best_cell.text, official, variants)
        result.deviations.append(
            Deviation(kind, self.spec.key, official, best_cell.text, column=column, loc=best_cell.loc, block=block)
        )

    # values -----------------------------------------------------------------------------------
    def _read_values(self, row: Row, block: BlockSpec, rspec: RowSpec, keys: list[str], result: TableResult) -> None:
        n = len(block.columns)
        tokens = list(row.values)
        while len(tokens) > n and tokens[-1].blank:
            tokens.pop()
        while len(tokens) > n and tokens[0].blank:
            tokens.pop(0)
        if len(tokens) < n:
            tokens = list(split_spaces(tuple(tokens)))
        if len(tokens) == n:
            for key, col, tok in zip(keys, block.columns, tokens):
                result.cells[key] = self._cell(key, col, tok, result)
            return
        if len(tokens) < n and any(t.digit_run for t in tokens):
            # with numbers run together, empty cells at the ends are layout (merged labels,
            # trailing tabs), not blank values: their position among the values is unknown
            while tokens and tokens[0].blank:
                tokens.pop(0)
            while tokens and tokens[-1].blank:
                tokens.pop()
            self._split(row, block, rspec, keys, tokens, result)
            return
        what = "多于" if len(tokens) > n else "少于"
        result.warnings.append(
            ParseWarning(
                "row.cell_count",
                f"{self.spec.title}“{rspec.label or '数据行'}”一行有{len(tokens)}个数值单元格，{what}应有的{n}个，无法确定对应关系，该行未读取",
                loc=row.loc,
            )
        )
        for key in keys:
            result.cells[key] = CellValue(key, None, _UNREADABLE, raw=" ".join(t.raw for t in tokens), loc=row.loc)

    def _cell(self, key: str, col: ColumnSpec, tok: Token, result: TableResult) -> CellValue:
        raw = tok.raw
        if raw.isascii() and raw.isdigit():  # a plain number, as most cells are
            number = Decimal(raw) if col.kind is _MONEY else int(raw)
            return _NEW_TUPLE(_CELL_VALUE, (key, number, _READ, raw, None, tok.loc, tok.confidence))
        parsed = parse_value(raw, col.kind, col.unit)
        if parsed.value is None:
            if parsed.problem:
                result.warnings.append(ParseWarning("cell.unreadable", f"{key}：{parsed.problem}", key=key, loc=tok.loc))
                return _NEW_TUPLE(_CELL_VALUE, (key, None, _UNREADABLE, tok.raw, parsed.note, tok.loc, tok.confidence))
            return _NEW_TUPLE(_CELL_VALUE, (key, None, _BLANK, tok.raw, None, tok.loc, tok.confidence))
        return _NEW_TUPLE(_CELL_VALUE, (key, parsed.value, _READ, tok.raw, parsed.note, tok.loc, tok.confidence))

    def _split(
        self, row: Row, block: BlockSpec, rspec: RowSpec, keys: list[str], tokens: list[Token], result: TableResult
    ) -> None:
        n = len(keys)
        position = {k: i for i, k in enumerate(keys)}
        runs: list[str | None] = [t.raw.strip() if t.digit_run else None for t in tokens]
        # identities of this row, as "total = sum of parts" over positions in the row
        sums = [
            (position[ident.lhs[0]], [position[k] for k in ident.rhs])
            for ident in self.row_identities.get(rspec.key, [])
            if len(ident.lhs) == 1 and all(k in position for k in ident.keys)
        ]
        splits, complete = split_runs(runs, n, sums)
        # a money column holds Decimal wherever its number came from, as parse_value gives it
        solutions = [_typed(s, block.columns) for s in splits]
        if len(solutions) == 1 and complete:
            values = solutions[0]
            for key, col, v, source in zip(keys, block.columns, values, _sources(tokens, values)):
                if v is None:  # a fixed (non-run) token, read as published
                    result.cells[key] = self._cell(key, col, source, result)
                else:
                    result.cells[key] = CellValue(
                        key, v, _SPLIT, raw=source.raw.strip(), loc=row.loc, confidence=source.confidence
                    )
            result.warnings.append(
                ParseWarning(
                    "digits.split",
                    f"{self.spec.title}“{rspec.label or '数据行'}”一行数字连在一起（{' '.join(t.raw for t in tokens)}），"
                    f"按勾稽关系唯一拆分为 {' '.join(str(v) for v in values if v is not None)}",
                    loc=row.loc,
                )
            )
            return
        for key in keys:
            result.cells[key] = CellValue(key, None, _UNREADABLE, raw=" ".join(t.raw for t in tokens), loc=row.loc)
        if solutions and complete and all(t.digit_run for t in tokens):
            result.pending.append(PendingSplit(keys, tokens, solutions, rspec.label, row.loc))
            return
        result.warnings.append(_ambiguous_warning(self.spec.title, rspec.label, tokens, len(solutions), complete, row))


def _ambiguous_warning(title: str, label: str, tokens, count: int, complete: bool, row) -> ParseWarning:
    reason = "没有符合勾稽关系的拆分" if count == 0 and complete else "有多种拆分方式"
    return ParseWarning(
        "digits.ambiguous",
        f"{title}“{label or '数据行'}”一行数字连在一起（{' '.join(t.raw for t in tokens)}），{reason}，无法确定，该行留空",
        loc=row.loc,
    )


def _sources(tokens: list[Token], values) -> list[Token]:
    """The token each value of a split came from: a fixed token gives one value, a run as many
    values as it takes to use up its digits."""
    out: list[Token] = []
    for t in tokens:
        if not t.digit_run:
            out.append(t)
            continue
        digits = 0
        while digits < len(t.raw.strip()):
            digits += len(str(values[len(out)]))
            out.append(t)
    return out
