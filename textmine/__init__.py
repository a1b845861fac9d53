"""textmine: Chinese text mining and sentiment for county social e-commerce.

Segment comments and articles, tag the topics officials ask about (quality,
trust, supervision, branding, price, logistics, service), score sentiment per
clause, link it all to sales records, and report in Chinese.

Nothing is loaded at import: dictionaries and models load on first use.
"""

import logging

__version__ = "0.1.0"

__all__ = [
    "analyze",
    "Pipeline",
    "link_sales",
    "sales_effects",
    "build_report",
    "discover_topics",
    "score_dask",
    "__version__",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())

_LAZY = {
    "analyze": "textmine.pipeline",
    "Pipeline": "textmine.pipeline",
    "link_sales": "textmine.sales",
    "sales_effects": "textmine.sales",
    "build_report": "textmine.report",
    "discover_topics": "textmine.discover",
    "score_dask": "textmine.distributed",
}


def __getattr__(name):
    # Public names resolve on first access so `import textmine` stays instant.
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'textmine' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_LAZY))
