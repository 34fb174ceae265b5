"""Reports keep no tables of their own; the export log is accounts.LogBerkas."""
