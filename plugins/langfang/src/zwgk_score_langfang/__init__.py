"""zwgk-score plugin for 廊坊市 (the 2023 政务公开工作要点, rubrics/langfang-2023.toml)."""
