"""benchmarks/peers.py end to end on tiny corpora written here, in the official layouts, and its parts."""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.helpers.scripts import load_script

GOOD = ["a wonderful", "a moving", "a superb", "a charming", "a brilliant", "a delightful"]
BAD = ["a dull", "a tedious", "an awful", "a lifeless", "a dreadful", "a boring"]
THINGS = ["film", "story", "cast", "script", "picture"]
PLOT = ["he moves to paris", "she meets her father", "the war takes him north", "they buy a farm by the river"]
OPINION = ["i loved every minute", "it is a joy", "what a waste of time", "the acting is superb"]


@pytest.fixture(scope="module")
def peers() -> ModuleType:
    return load_script("peers")


def review(label: str, i: int) -> str:
    words = GOOD if label == "pos" else BAD
    ending = "i loved it ." if label == "pos" else "i hated it ."
    return f"{words[i % len(words)]} {THINGS[i % len(THINGS)]} .\n{ending}\nseen on day {i} .\n"


def write_tiny_corpora(root: Path) -> Path:
    """All four corpora, a few dozen texts each, written for this test."""
    for label in ("pos", "neg"):
        folder = root / "review_polarity" / "txt_sentoken" / label
        folder.mkdir(parents=True)
        for i in range(20):  # two reviews per label in each of the ten folds
            (folder / f"cv{50 * i:03d}_{i}.txt").write_text(review(label, i), encoding="utf-8")
        for split in ("train", "test"):
            folder = root / "aclImdb" / split / label
            folder.mkdir(parents=True)
            for i in range(12):
                rating = 8 + i % 3 if label == "pos" else 1 + i % 3
                text = review(label, i + (0 if split == "train" else 3)).replace("\n", "<br /><br />").capitalize()
                (folder / f"{i}_{rating}.txt").write_text(text, encoding="utf-8")
    lines = {label: [review(label, i).split("\n")[0] for i in range(15)] for label in ("pos", "neg")}
    (root / "rt-polaritydata").mkdir()
    for label in ("pos", "neg"):
        (root / "rt-polaritydata" / f"rt-polarity.{label}").write_bytes(
            "\n".join(lines[label]).encode("latin-1") + b"\n"
        )
    (root / "rotten_imdb").mkdir()
    for name, phrases in (("quote", OPINION), ("plot", PLOT)):
        text = "\n".join(f"{phrases[i % 4]} , day {i} ." for i in range(15)) + "\n"
        (root / "rotten_imdb" / f"{name}.tok.gt9.5000").write_bytes(text.encode("latin-1"))
    return root


@pytest.fixture(scope="module")
def run(peers: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, Path]:
    """One run of main() over the four tiny corpora: its exit code, its printed table and its output folder."""
    root = write_tiny_corpora(tmp_path_factory.mktemp("data"))
    out = tmp_path_factory.mktemp("docs")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = peers.main(["--data-dir", str(root), "--out", str(out), "--folds", "3", "--jobs", "1"])
    return code, printed.getvalue(), out


def test_end_to_end_writes_table_markdown_and_plots(peers: ModuleType, run: tuple[int, str, Path]) -> None:
    import matplotlib.image

    code, printed, out = run
    assert code == 0
    markdown = (out / "benchmarks.md").read_text(encoding="utf-8")
    assert "python benchmarks/peers.py --data-dir" in markdown and "cores" in markdown and "- date: " in markdown
    assert "published, not measured" in markdown.lower() and "Maas et al. 2011" in markdown
    for title in ("aclImdb test", "polarity v2.0", "mr,", "subj,"):
        assert f"## {title}" in markdown
    images = sorted(p.name for p in (out / "benchmarks").glob("*.png"))
    assert "speed-accuracy.png" in images and "calibration-imdb.png" in images
    for name in images:
        data = (out / "benchmarks" / name).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        assert matplotlib.image.imread(out / "benchmarks" / name).ndim == 3
        assert f"(benchmarks/{name})" in markdown
    assert "acc/thumbs" in printed and "speed/thumbs" in printed
    for name in ("thumbs default", "thumbs default, full analysis", "thumbs nbsvm", "thumbs nb"):
        assert name in printed
    for peer in peers.PEERS:
        if peers.available(peer) is None:
            assert peer.name in printed and peer.name in markdown


def test_every_peer_is_scored_on_every_text_of_its_dataset(run: tuple[int, str, Path]) -> None:
    markdown = (run[2] / "benchmarks.md").read_text(encoding="utf-8")
    sections = {part.split("\n", 1)[0].split(" ")[0]: part for part in markdown.split("\n## ")[1:]}
    for heading, texts in (("aclImdb", 24), ("polarity", 40), ("mr,", 30), ("subj,", 30)):
        rows = [line for line in sections[heading].splitlines() if line.startswith("| ") and "|---" not in line][1:]
        rows = [r for r in rows if r.count("|") == 12]  # the measured table, not the published one
        assert rows, heading
        assert all(f"| {texts} |" in r for r in rows), heading
    for heading in ("mr,", "subj,"):  # lexicon tools and the default model judge reviews, not these sentences
        assert "| lexicon |" not in sections[heading] and "thumbs default" not in sections[heading]


def test_subset_keeps_every_fold_and_split(peers: ModuleType) -> None:
    from thumbs.corpora import Document

    documents = [
        Document(f"{label}/{i}", "text", label, fold=i // 10) for label in ("positive", "negative") for i in range(100)
    ]
    kept = peers.subset(documents, 10)
    assert len(kept) == 20 and {d.fold for d in kept} == set(range(10))
    assert peers.subset(documents, None) == documents


def test_a_missing_package_is_skipped_with_a_message(peers: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "nltk", None)  # import nltk now raises ImportError
    (nltk_peer,) = [p for p in peers.PEERS if p.package == "nltk"]
    reason = peers.available(nltk_peer)
    assert reason is not None and "pip install nltk" in reason


def test_vader_sentence_vote_breaks_ties_with_the_whole_text(peers: ModuleType) -> None:
    pytest.importorskip("vaderSentiment")
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vote = peers.vader_sentence_vote()
    assert vote(["Great fun. Lovely cast. Boring end."]) == [1.0]  # two good sentences against one bad
    tie = "A wonderful, wonderful cast. The plot is bad."
    assert vote([tie]) == [SentimentIntensityAnalyzer().polarity_scores(tie)["compound"]]


def test_checks_say_yes_or_no_with_the_margin() -> None:
    doc = load_script("peers_doc")

    def row(peer: str, kind: str, accuracy: float, speed: float) -> object:
        return doc.PeerResult("imdb", peer, kind, "", 10, accuracy, None, accuracy, None, speed)

    lines = doc.checks(
        [
            row("thumbs default", "thumbs", 0.9, 1000.0),
            row("VADER", "lexicon", 0.7, 50.0),
            row("TextBlob (PatternAnalyzer)", "lexicon", 0.92, 200.0),
        ]
    )
    assert "ahead of every peer in accuracy: **no**" in lines[0] and "TextBlob" in lines[0]
    assert "VADER's reviews/s per core: yes (20.0x" in lines[1]
    assert "**no** (5.0x" in lines[2]
