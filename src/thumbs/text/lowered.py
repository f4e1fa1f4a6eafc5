r"""Many review texts normalized and lowercased at once, as UTF-8 bytes: the start of the label path.

:func:`thumbs.text.normalize.normalize` costs a dozen scans and a few regex calls per
review. Labelling thousands of reviews (:meth:`thumbs.pipeline.model.Model.predict`)
needs only their lowercased chunks, so :func:`lowered_utf8` runs each step once
over a whole batch joined into one string, with exactly the result of
normalizing text by text, and hands :mod:`thumbs.features.chunk_memo` bytes to cut.

>>> lowered_utf8(["A <i>fine</i> film&hellip;", "Dull.<br />Very dull."])
b'a  fine  film...\n\x00\ndull.\nvery dull.\n\x00\n'
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from thumbs.text.normalize import LINE_BREAK_TAG, OTHER_TAG, SPACED_ELLIPSIS, plain_characters, quotes_and_ellipses
from thumbs.text.tokens import CHUNK_SEPARATOR

#: The whitespace characters past ASCII that :func:`~thumbs.text.normalize.plain_characters` leaves (NFKC makes the others a space).
UNMAPPED_SPACES = "\x85\u1680\u2028\u2029"
#: Joins the texts of a batch: a NUL between line breaks. No step of :func:`~thumbs.text.normalize.normalize`
#: reaches across it (see :func:`lowered_utf8`), and the NUL is a chunk of its own.
_BATCH_JOINER = "\n" + CHUNK_SEPARATOR + "\n"
#: The tag patterns of :func:`~thumbs.text.normalize`, kept from running through a NUL: on a text
#: without one they match exactly what the originals match.
_BATCH_LINE_BREAK_TAG = re.compile(LINE_BREAK_TAG.pattern.replace("[^>]", "[^>\\x00]"), re.IGNORECASE)
_BATCH_OTHER_TAG = re.compile(OTHER_TAG.pattern.replace("[^<>]", "[^<>\\x00]"))
_BATCH_JOINER_UTF8 = _BATCH_JOINER.encode("ascii")
_SPACED_ELLIPSIS_UTF8 = re.compile(SPACED_ELLIPSIS.pattern.encode("ascii"))


#: A "<" that does not open the line break IMDb writes, "<br />".
_NOT_A_LINE_BREAK = re.compile("<(?!br />)")


def _without_tags(joined: str) -> str:
    """The tag steps of :func:`~thumbs.text.normalize` on texts joined by :data:`_BATCH_JOINER`.

    Nearly every review's only tags are "<br />", and where a text has no
    other "<" the patterns turn each into a line break and do nothing else:
    a literal replacement does the same, much faster. A text with another
    "<" goes through the patterns.
    """
    if "<" not in joined:
        return joined
    pieces, done = [], 0
    for match in _NOT_A_LINE_BREAK.finditer(joined):
        if match.start() < done:
            continue
        start = joined.rfind(CHUNK_SEPARATOR, 0, match.start()) + 1
        end = joined.find(CHUNK_SEPARATOR, match.start())
        end = len(joined) if end < 0 else end
        pieces.append(joined[done:start].replace("<br />", "\n"))
        pieces.append(_BATCH_OTHER_TAG.sub(" ", _BATCH_LINE_BREAK_TAG.sub("\n", joined[start:end])))
        done = end
    pieces.append(joined[done:].replace("<br />", "\n"))
    return "".join(pieces)


def _lowered_past_ascii(text: str) -> bytes:
    """A text past ASCII, without tags or character references, normalized and lowercased, in UTF-8.

    The steps of :func:`~thumbs.text.normalize` in its order (lowercasing last: which
    sigma is final depends on the quotes and dots after it), but for those
    that only turn whitespace into other whitespace; the whitespace past
    ASCII that the character step leaves becomes a space.
    """
    text = quotes_and_ellipses(plain_characters(text))
    for space in UNMAPPED_SPACES:
        if space in text:
            text = text.replace(space, " ")
    return text.lower().encode("utf-8")


def _batch_ellipsis(joined: bytes, match: re.Match[bytes]) -> bytes:
    """A spaced ellipsis in a batch becomes "..." where :func:`~thumbs.text.normalize` would change it.

    That is where its text has ``". ."`` or ``".\\t."``: the match itself
    nearly always shows it; else look at the whole text.
    """
    found = match.group()
    if b". ." in found or b".\t." in found:
        return b"..."
    start = joined.rfind(b"\x00", 0, match.start()) + 1
    end = joined.find(b"\x00", match.end())
    text = joined[start : end if end >= 0 else len(joined)]
    return b"..." if b". ." in text or b".\t." in text else found


def lowered_utf8(texts: Sequence[str]) -> bytes | None:
    """Every text normalized and lowercased, each followed by a NUL between line breaks, in UTF-8.

    Its ``decode().split()`` is the chunks ``normalize(t).lower().split()`` of
    every text, each text's followed by the chunk ``"\\x00"``; and all its
    whitespace is ASCII, so it can be cut at whitespace as bytes. None when
    some text holds a NUL itself (then the caller goes text by text).

    Normalizing review by review costs a dozen scans and a few regex calls per
    review; here each step runs once over the batch, joined by
    :data:`_BATCH_JOINER`, with the same result, because:

    * no tag match can run through the NUL (:data:`_BATCH_LINE_BREAK_TAG`), and
      no character reference, LaTeX quote, backquote or ellipsis match can run
      through a line break; tags are dropped as :func:`_without_tags` says;
    * a text past ASCII (one in ten) goes through every step alone
      (:func:`_lowered_past_ascii`); the others, ASCII, are lowercased as
      bytes, which is the same, and the LaTeX quote and ellipsis steps, which
      lowercasing does not touch, run on those bytes;
    * the spaced-ellipsis step runs where :func:`~thumbs.text.normalize` runs it, on texts
      with ``". ."`` (:func:`_batch_ellipsis`);
    * the last steps of :func:`~thumbs.text.normalize` only turn whitespace into other
      whitespace, which ``str.split`` does not tell apart, so they are skipped.
    """
    if not texts:
        return b""
    past_ascii: dict[int, bytes] = {}  # the texts past ASCII, done alone
    plain = list(texts)
    for i, text in enumerate(texts):
        if not text.isascii():
            if CHUNK_SEPARATOR in text:
                return None
            past_ascii[i] = _lowered_past_ascii(html.unescape(_without_tags(text)))
            plain[i] = ""
    joined = _BATCH_JOINER.join(plain)
    if joined.count(CHUNK_SEPARATOR) != len(texts) - 1:
        return None
    joined = html.unescape(_without_tags(joined))
    if not joined.isascii():  # a character reference past ASCII ("&eacute;"): that text goes alone too
        plain = joined.split(_BATCH_JOINER)
        for i, text in enumerate(plain):
            if not text.isascii():
                past_ascii[i] = _lowered_past_ascii(text)
                plain[i] = ""
        joined = _BATCH_JOINER.join(plain)
    data = joined.encode("ascii").lower()
    # LATEX_QUOTES.sub, two literal passes (their matches cannot overlap: ` is not '), then backquotes
    backquote = b"`" in data
    if backquote and b"``" in data:
        data = data.replace(b"``", b'"')
    if b"''" in data:
        data = data.replace(b"''", b'"')
    if backquote:
        data = data.replace(b"`", b"'")
    if b". ." in data or b".\t." in data:
        data = _SPACED_ELLIPSIS_UTF8.sub(lambda match: _batch_ellipsis(data, match), data)
    if past_ascii:
        parts = data.split(_BATCH_JOINER_UTF8)
        for i, text_data in past_ascii.items():
            parts[i] = text_data
        data = _BATCH_JOINER_UTF8.join(parts)
    return data + _BATCH_JOINER_UTF8
