"""Scoring methods (评分方法)."""

from zwgk_score.methods.base import LeafData, Method
from zwgk_score.methods.builtin import BUILTIN_METHODS

__all__ = ["BUILTIN_METHODS", "LeafData", "Method"]
