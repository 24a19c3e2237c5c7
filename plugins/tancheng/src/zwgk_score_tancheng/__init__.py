"""zwgk-score region plugin: tancheng."""

__version__ = "0.1.0"
