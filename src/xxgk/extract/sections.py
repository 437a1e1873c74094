"""Finding the six top-level sections (一、总体情况 … 六、其他需要报告的事项)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from ..document import Document, Paragraph
from ..labels.normalize import core, has_traditional, simplify, similarity, split_enumerator
from ..report.model import Deviation
from ..templates.model import SectionSpec

HEADING_MATCH: Final = 82.0
MAX_HEADING_CHARS: Final = 48
_CN_DIGITS = "一二三四五六七八九十"


@dataclass(frozen=True)
class FoundSection:
    spec: SectionSpec
    block: int  # index of the heading paragraph in document.blocks
    heading: Paragraph


def _score(text: str, spec: SectionSpec) -> float:
    return max(similarity(text, h) for h in (spec.heading,) + spec.variants)


@lru_cache(maxsize=16)
def _by_core(specs: tuple[SectionSpec, ...]) -> dict[str, SectionSpec]:
    """The section each heading (or variant) names, by its core; a core two sections share is left out."""
    out: dict[str, SectionSpec] = {}
    shared: set[str] = set()
    for spec in specs:
        for heading in (spec.heading,) + spec.variants:
            c = core(heading)
            if c in out and out[c] is not spec:
                shared.add(c)
            out[c] = spec
    return {c: spec for c, spec in out.items() if c and c not in shared}


def find_sections(doc: Document, specs: tuple[SectionSpec, ...]) -> tuple[list[FoundSection], list[Deviation]]:
    """Headings in document order; each section taken once, at its first strong match."""
    found: dict[str, FoundSection] = {}
    by_core = _by_core(specs)
    for index, block in enumerate(doc.blocks):
        if not isinstance(block, Paragraph):
            continue
        text = block.text
        # a paragraph of prose is not a heading: skip it before normalising it
        if len(text) > 3 * MAX_HEADING_CHARS or len(simplify(text)) > MAX_HEADING_CHARS:
            continue
        enum, rest = split_enumerator(text)
        if not rest:
            continue
        best, best_spec = 0.0, None
        exact = by_core.get(core(text))
        if exact is not None and exact.key not in found:  # scores 100: no need to score the others
            best, best_spec = 100.0, exact
        for spec in specs if best_spec is None else ():
            if spec.key in found:
                continue
            score = _score(text, spec)
            if score > best:
                best, best_spec = score, spec
        if best_spec is None or best < HEADING_MATCH:
            continue
        # a heading is short: its text is the section title, not a sentence that mentions it
        if len(core(text)) > 2 * max(len(core(h)) for h in (best_spec.heading,) + best_spec.variants):
            continue
        found[best_spec.key] = FoundSection(best_spec, index, block)
    ordered = sorted(found.values(), key=lambda f: f.block)
    return ordered, _deviations(ordered, specs)


def _deviations(found: list[FoundSection], specs: tuple[SectionSpec, ...]) -> list[Deviation]:
    out: list[Deviation] = []
    keys = [f.spec.key for f in found]
    for spec in specs:
        if spec.key not in keys:
            out.append(Deviation("missing_section", None, f"{spec.number}、{spec.heading}", None, section=spec.key))
    expected_order = [s.key for s in specs if s.key in keys]
    if keys != expected_order:
        out.append(
            Deviation("section_order", None, "、".join(expected_order), "、".join(keys), section=None)
        )
    for f in found:
        enum, rest = split_enumerator(f.heading.text)
        official = f"{f.spec.number}、{f.spec.heading}"
        if enum.rstrip() != f"{f.spec.number}、":
            out.append(Deviation("numbering", None, official, f.heading.text, section=f.spec.key, loc=f.heading.loc))
        elif has_traditional(f.heading.text):
            out.append(Deviation("traditional", None, official, f.heading.text, section=f.spec.key, loc=f.heading.loc))
        elif core(f.heading.text) != core(f.spec.heading):
            kind = "variant" if any(core(f.heading.text) == core(v) for v in f.spec.variants) else "wording"
            out.append(Deviation(kind, None, official, f.heading.text, section=f.spec.key, loc=f.heading.loc))
    return out
