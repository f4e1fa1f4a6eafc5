"""Text pieces for property tests of normalizing and tokenizing (shared by test_text and test_batch_text)."""

#: Pieces that exercise every step of normalize, and what could reach across two texts.
TRICKY_PIECES = [
    "a", "Film", "ΣΑΣ", "Σ", "é", "ﬁ", "\u2019", "\u201c", "\u2026", "\u00a0", "\u2028", "\x85", "\x1c",
    "<", ">", "<br", "<br />", "<b>", "</i", "<p>", "&", "&amp", "&amp;", "&lt", "&#39", "&#x27;", ";",
    "`", "``", "'", "''", ".", ". .", ".  .  .", ".\t.", "..", "-", "--", "\r", "\n", "\t", "  ", " ",
    "n't", "'s", "www.", "http://x.y", "don't", "u.s.", "2.5", ",",
]
