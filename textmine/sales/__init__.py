"""Link comments and topics to sales records.

* :func:`link_sales` joins scored comments to sales (file, DataFrame or SQL
  database) into a panel: one row per product (or spec, streamer tier,
  channel…) and period, with comment volume, sentiment, topic shares, units
  and revenue; names that did not match and rows that could not be used come
  back beside it, never dropped silently.
* :func:`sales_effects` says which comment metrics move with sales, and how
  many periods earlier.
* :func:`compare` gives the tables officials ask for: pack sizes, streamer
  tiers, channels, and whether livestream spikes last.
"""

from .compare import Comparison, compare
from .effects import sales_effects
from .match import product_key, read_aliases
from .panel import LinkResult, link_sales
from .read import read_comments, read_sales

__all__ = [
    "link_sales",
    "sales_effects",
    "compare",
    "LinkResult",
    "Comparison",
    "read_sales",
    "read_comments",
    "read_aliases",
    "product_key",
]
