"""One module per Voilà workbook; each has ``app()`` returning the page widget."""
