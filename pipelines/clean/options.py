"""The cleaner's thresholds, at the bottom of the package: every step reads them, none is imported here."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CleanOptions:
    "Thresholds of the cleaner (settings XXGK_CLEAN_*); defaults measured on tests/data/clean."
    spam_min_run: int = 5               # tokens in a spam run (domain.md §5.3: ≥5 short tokens)
    spam_min_hits: int = 3              # lexicon hits a run needs, whatever its length
    spam_min_distinct: int = 3          # distinct lexicon terms a run needs (a real list repeats one)
    spam_min_hit_ratio: float = 0.4     # share of run tokens that hit the lexicon
    spam_max_token_chars: int = 24      # a longer token is prose, not a keyword
    spam_max_gap: int = 2               # non-hit tokens allowed between two hits of one run
    spam_dense_min_chars: int = 12      # a token this long made mostly of gambling terms is spam alone
    spam_dense_ratio: float = 0.6       # share of its letters those terms cover
    min_container_chars: int = 20       # a container with less text is empty (try the next locator)
    min_tail_chars: int = 50            # text after </html> kept when the page before it has less
    use_trafilatura: bool = True        # general fallback when no known container matches
    # …on pages up to this many elements: its table reader grows faster than the cells (a 40,000-cell
    # row took 24 s), so a bigger page is read whole, in linear time
    max_fallback_elements: int = 20_000
