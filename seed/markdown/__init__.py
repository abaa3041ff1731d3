"""A Markdown post parsed with its lines: the YAML front matter it starts with, and its blocks.

`front_matter.py` reads the `---` block with PyYAML, `blocks.py` folds markdown-it-py's tokens into
headings, paragraphs and lists. Knows nothing of recaps: imports nothing of ours.
"""
