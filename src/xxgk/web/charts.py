"""Charts for the overview page: matplotlib (Agg) drawn to SVG, Chinese labels in the CJK fonts
``.ci/run`` installs (Noto Sans CJK, WenQuanYi Zen Hei), text kept as paths so any browser shows
it the same."""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei", "Source Han Sans SC", "SimHei")
COLORS = ("#2f5d8a", "#c0504d", "#9bbb59", "#8064a2", "#f79646", "#4bacc6")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_lock = threading.Lock()  # matplotlib's font cache and text layout are not thread-safe


def cjk_font() -> str | None:
    """The first CJK font matplotlib finds on this machine (None: Chinese would show as boxes)."""
    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in CJK_FONTS if n in names), None)


def _figure(width: float = 6.4, height: float = 3.4) -> Figure:
    fig = Figure(figsize=(width, height), dpi=100)
    font = cjk_font()
    if font:
        fig.set_layout_engine("constrained")
    return fig


def _svg(fig: Figure) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    text = text[text.index("<svg"):]  # drop the XML prolog and doctype: the SVG goes inline
    # matplotlib writes each label again in a comment; the labels may hold user text, and the
    # glyphs are paths anyway
    return _COMMENT.sub("", text)


def _counts(axis, values) -> None:
    """Whole numbers on a count axis, starting at 0 (and not collapsing when every value is 0)."""
    axis.set_major_locator(MaxNLocator(integer=True))
    top = max([float(v) for v in values if v is not None] or [0])
    limit = top * 1.15 if top > 0 else 1
    if axis.axis_name == "y":
        axis.axes.set_ylim(0, limit)
    else:
        axis.axes.set_xlim(0, limit)


def _style(ax, title: str) -> None:
    ax.set_title(title, fontsize=12, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#ddd", linewidth=0.6)
    ax.set_axisbelow(True)


def _rc():
    font = cjk_font()
    return {"font.family": "sans-serif", "font.sans-serif": [font] if font else [], "svg.fonttype": "path",
            "axes.unicode_minus": False}  # fmt: skip


def bars_by_year(title: str, years: Sequence[int], values: Sequence[float], unit: str = "件") -> str:
    """One bar per year (e.g. new applications received)."""
    with _lock, matplotlib.rc_context(_rc()):
        fig = _figure()
        ax = fig.add_subplot()
        labels = [f"{y}年" for y in years]
        bars = ax.bar(labels, values, color=COLORS[0], width=0.6)
        ax.bar_label(bars, labels=[f"{v:g}" for v in values], fontsize=9, padding=2)
        ax.set_ylabel(unit)
        _counts(ax.yaxis, values)
        _style(ax, title)
        return _svg(fig)


def horizontal_bars(title: str, labels: Sequence[str], values: Sequence[float], unit: str = "件") -> str:
    """Categories side by side (e.g. outcomes of the applications handled)."""
    with _lock, matplotlib.rc_context(_rc()):
        fig = _figure(6.4, 0.45 * len(labels) + 1.2)
        ax = fig.add_subplot()
        y = list(range(len(labels)))[::-1]
        bars = ax.barh(y, values, color=[COLORS[i % len(COLORS)] for i in range(len(labels))], height=0.6)
        ax.set_yticks(y, labels)
        ax.bar_label(bars, labels=[f"{v:g}" for v in values], fontsize=9, padding=3)
        ax.set_xlabel(unit)
        _counts(ax.xaxis, values)
        _style(ax, title)
        ax.grid(axis="x", color="#ddd", linewidth=0.6)
        ax.grid(axis="y", visible=False)
        return _svg(fig)


def cases_and_rates(title: str, years: Sequence[int], series: dict[str, tuple[list[float], list[float | None]]]) -> str:
    """Cases per year for each kind (bars) and the share corrected (纠错率, a line on a second axis).

    ``series``: kind label -> (cases per year, correction rate in % per year or None)."""
    with _lock, matplotlib.rc_context(_rc()):
        fig = _figure(6.4, 3.6)
        ax = fig.add_subplot()
        n = max(len(series), 1)
        width = 0.8 / n
        xs = list(range(len(years)))
        rate_ax = ax.twinx()
        for i, (label, (cases, rates)) in enumerate(series.items()):
            offs = [x - 0.4 + width * (i + 0.5) for x in xs]
            ax.bar(offs, cases, width=width * 0.9, color=COLORS[i % len(COLORS)], label=f"{label}（件）")
            pts = [(x, r) for x, r in zip(xs, rates) if r is not None]
            if pts:
                rate_ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", color=COLORS[i % len(COLORS)],
                             linestyle="--", linewidth=1.2, label=f"{label}纠错率")  # fmt: skip
        ax.set_xticks(xs, [f"{y}年" for y in years])
        ax.set_ylabel("件")
        _counts(ax.yaxis, [v for cases, _ in series.values() for v in cases])
        rate_ax.set_ylabel("纠错率（%）")
        rate_ax.set_ylim(0, 100)
        rate_ax.spines[["top"]].set_visible(False)
        _style(ax, title)
        handles = ax.get_legend_handles_labels()
        more = rate_ax.get_legend_handles_labels()
        ax.legend(handles[0] + more[0], handles[1] + more[1], fontsize=8, ncols=2, frameon=False, loc="upper left")
        return _svg(fig)
