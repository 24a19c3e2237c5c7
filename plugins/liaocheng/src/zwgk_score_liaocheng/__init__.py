"""zwgk-score plugin for 聊城市 (Liaocheng, Shandong): 2018 政务公开 assessment.

Collectors for the city's own registers (website and new-media inspection
sheet, quarterly inspection scope, publication-time logs) and the wording of
its annual and quarterly notices (通报).
"""

__version__ = "0.1.0"
