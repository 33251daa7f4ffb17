"""Everything a person reads: HTML texts and keyboards, the chart and the workbook (words in texts)."""
