"""Paper documents printed with WeasyPrint (being built)."""
