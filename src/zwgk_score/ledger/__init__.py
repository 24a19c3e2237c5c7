"""The assessment ledger (考核台账库): forms, submissions, scores, appeals, rectification, results."""

from zwgk_score.ledger.store import Ledger, LedgerWriter, ledger_url, open_ledger

__all__ = ["Ledger", "LedgerWriter", "ledger_url", "open_ledger"]
