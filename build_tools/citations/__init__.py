"""Citations: pandoc's syntax, BibTeX references and APA 7 author-year rendering."""
