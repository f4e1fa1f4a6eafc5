"""Text: a raw review (or the corpora's tokenized form) into normalized text, tokens and sentences.

normalize (HTML, quotes, dashes, ellipses) -> tokens (canonical, lowercase, clitics split) ->
sentences (with offsets) -> negation (the scope of "not"); review says whether a text can be
read at all; lowered does normalize for a whole batch at once, as UTF-8 bytes (labels only);
documents tokenizes many documents, in worker processes for large corpora (training, evaluation).
"""
