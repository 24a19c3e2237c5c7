"""zwgk-score plugin for xx市 (张家口市): 2022 政务公开工作要点 new-media registers and notice."""
