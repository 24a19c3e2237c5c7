"""Report stage (输出): tables, Excel workbook, notice (通报) and feedback sheets."""
