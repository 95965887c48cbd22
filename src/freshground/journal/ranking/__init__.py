"""The bridging model for the journal's ranking (pure numpy/scipy, no database): see docs/journal-ranking.md."""

from freshground.journal.ranking.model import Fit, Settings, fit, implicit_zeros

__all__ = ["Fit", "Settings", "fit", "implicit_zeros"]
