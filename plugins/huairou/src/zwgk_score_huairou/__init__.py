"""zwgk-score region plugin: 北京市怀柔区 (怀公开办发〔2024〕1号)."""

__version__ = "0.1.0"
