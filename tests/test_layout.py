"""The official layout is derived from the declaration and matches the official blank template."""

from __future__ import annotations

import pytest

from xxgk.labels.normalize import simplify
from xxgk.readers import read_document
from xxgk.templates import GOV2019, GOV2021, TEMPLATES
from xxgk.templates.layout import table_layout


def test_cell_counts_follow_the_spec():
    assert len(GOV2021.cell_keys) == 200 and len(GOV2019.cell_keys) == 198
    t3 = {k for k in GOV2021.cell_keys if k.startswith("t3.")}
    assert len(t3) == 175
    assert len({k for k in GOV2019.cell_keys if k.startswith("t3.")}) == 161


def test_identities_derived_from_layout():
    for spec in TEMPLATES.values():
        rules = [i.rule for i in spec.identities]
        rows = len(spec.table_by_key["t3"].blocks[0].rows)
        assert rules.count("identity.balance") == 7
        assert rules.count("identity.results_total") == 7
        assert rules.count("identity.row_total") == rows
        assert rules.count("identity.t4_total") == 3
    leaves = next(i for i in GOV2021.identities if i.rule == "identity.results_total").rhs
    assert len(leaves) == 21
    leaves = next(i for i in GOV2019.identities if i.rule == "identity.results_total").rhs
    assert len(leaves) == 19


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_every_cell_appears_once_in_the_layout(template):
    spec = TEMPLATES[template]
    keys = [c.key for t in spec.tables for c in table_layout(t).value_cells]
    assert sorted(keys) == sorted(spec.cell_keys)


def test_layout_matches_official_blank_template(shared_corpus):
    doc = read_document(shared_corpus / "templates" / "gov2021-blank-template.docx")
    assert len(doc.tables) == 3
    for spec, table in zip(GOV2021.tables, doc.tables):
        grid = table.grid()
        official = set()
        for r, row in enumerate(table.rows):
            for cell in row:
                c = next(i for i, x in enumerate(grid[r]) if x is cell)
                official.add((r, c, cell.rowspan, cell.colspan, simplify(cell.text)))
        mine = {(c.row, c.col, c.rowspan, c.colspan, simplify(c.text)) for c in table_layout(spec).cells}
        assert mine == official, spec.key


def test_column_kinds_are_declared_kinds():
    from xxgk.templates.model import CellKind

    for spec in TEMPLATES.values():
        kinds = {key: col.kind for key, (_, _, _, col) in spec.cell_spec.items()}
        assert all(isinstance(k, CellKind) for k in kinds.values())
    assert GOV2021.cell_spec["t2.admin_fees.amount"][3].kind is CellKind.MONEY
    assert GOV2019.cell_spec["t2.admin_license.delta_items"][3].kind is CellKind.SIGNED
    assert GOV2021.cell_spec["t3.new_received.other_org"][3].variants == ("其它",)
