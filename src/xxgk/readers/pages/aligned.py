from __future__ import annotations


def aligned_tables(lines, page):
    return [], lines
