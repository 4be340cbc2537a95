"""The canonical layout: the formatter of source text and the printer of a model as `.bpo` text."""
