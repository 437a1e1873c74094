"""Finding the six top-level sections (一、总体情况 … 六、其他需要报告的事项)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from ..document import Document, Paragraph
from ..labels.normalize import best_core_similarity, core, has_traditional, simplify, split_enumerator
from ..memo import memo_text
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


class _Headings:
    """The headings of a template's sections, gathered once: they are the same for every document.

    ``by_core`` gives the section each heading (or variant) names, by its core (a core two
    sections share is left out); :meth:`scores` gives a paragraph's :func:`_score` against
    every section (its best :func:`~xxgk.labels.normalize.similarity` to the section's heading
    and variants), by the paragraph's core (all a score depends on), memoised.
    """

    def __init__(self, specs: tuple[SectionSpec, ...]):
        self.specs = specs
        self.heading_cores = [tuple(core(h) for h in (spec.heading,) + spec.variants) for spec in specs]
        out: dict[str, SectionSpec] = {}
        shared: set[str] = set()
        for spec, cores in zip(specs, self.heading_cores):
            for c in cores:
                if c in out and out[c] is not spec:
                    shared.add(c)
                out[c] = spec
        self.by_core = {c: spec for c, spec in out.items() if c and c not in shared}
        self.scores: Callable[[str], tuple[float, ...]] = memo_text(self._scores)

    def _scores(self, text_core: str) -> tuple[float, ...]:
        return tuple(best_core_similarity(text_core, cores) for cores in self.heading_cores)


_HEADINGS: Final[dict[int, _Headings]] = {}


def _headings(specs: tuple[SectionSpec, ...]) -> _Headings:
    entry = _HEADINGS.get(id(specs))
    if entry is None or entry.specs is not specs:  # (the entry holds specs: its id stays unique)
        entry = _HEADINGS[id(specs)] = _Headings(specs)
    return entry


def find_sections(doc: Document, specs: tuple[SectionSpec, ...]) -> tuple[list[FoundSection], list[Deviation]]:
    """Headings in document order; each section taken once, at its first strong match."""
    found: dict[str, FoundSection] = {}
    headings = _headings(specs)
    by_core = headings.by_core
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
        text_core = core(text)
        exact = by_core.get(text_core)
        if exact is not None and exact.key not in found:  # scores 100: no need to score the others
            best, best_spec = 100.0, exact
        else:
            for spec, score in zip(specs, headings.scores(text_core)):
                if spec.key not in found and score > best:
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
