"""The rule catalogue: importing this package registers every rule."""

from . import cells, crossyear, deadline, fees, identities, labels, narrative, ocr, structure, template, units

__all__ = [
    "cells", "crossyear", "deadline", "fees", "identities", "labels", "narrative", "ocr", "structure", "template", "units",
]  # fmt: skip
