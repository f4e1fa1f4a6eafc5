"""Shared fixtures: the real-corpus data folder, tiny fake corpora, and a local HTTP server.

Real corpora are never copied into the repository. Tests that need them take the ``data_dir``
fixture (or call ``require_corpus(name)``), which reads ``THUMBS_DATA``: without it they skip,
and with ``THUMBS_REQUIRE_DATA=1`` (CI with the data mounted) they fail instead of skipping.

The fake corpora below use text written for these tests, in the official layouts.
"""

from __future__ import annotations

import http.server
import io
import os
import tarfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pytest

from thumbs.corpora import corpus_status


def _missing(message: str, required_by: str) -> None:
    """Skip, or fail when the environment variable ``required_by`` is 1 (CI: it must be there)."""
    if os.environ.get(required_by) == "1":
        pytest.fail(f"{message} ({required_by}=1)")
    pytest.skip(message)


def _missing_data(message: str) -> None:
    """Skip, or fail when THUMBS_REQUIRE_DATA=1 says the data must be there."""
    _missing(message, "THUMBS_REQUIRE_DATA")


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The folder holding the real corpora, from THUMBS_DATA."""
    value = os.environ.get("THUMBS_DATA")
    if not value:
        _missing_data("real corpora not available: set THUMBS_DATA to the data folder")
    path = Path(value)  # type: ignore[arg-type]
    if not path.is_dir():
        _missing_data(f"THUMBS_DATA={value} is not a folder: set THUMBS_DATA to the data folder")
    return path


@pytest.fixture(scope="session")
def require_corpus(data_dir: Path) -> Callable[[str], Path]:
    """A function ``require_corpus(name) -> data dir`` that skips (or fails) if that corpus is absent."""

    def require(name: str) -> Path:
        status = corpus_status(name, data_dir)
        if not status.present:
            _missing_data(f"corpus '{name}' not in {data_dir} ({status.detail}): set THUMBS_DATA")
        return data_dir

    return require


@pytest.fixture(scope="session")
def reference_review(data_dir: Path) -> Path:
    """The lowercased, tokenized copy of the reference review, beside the data folder (shared/examples)."""
    path = data_dir.parent / "examples" / "reference-review.tokenized.txt"
    if not path.is_file():
        _missing_data(f"reference review not found at {path}")
    return path


#: Debian's chromium, which Playwright drives in the browser tests (`make test` installs it).
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's chromium; skip without it, or fail under THUMBS_REQUIRE_BROWSER=1 (CI)."""
    if not CHROMIUM.exists():
        _missing(
            f"{CHROMIUM} not found: install Debian's chromium (make browser) to run the browser tests",
            "THUMBS_REQUIRE_BROWSER",
        )
    return CHROMIUM


# --- tiny fake corpora, in the official layouts ----------------------------------------------

POLARITY_FILES = {
    # (label folder, file name): text (one tokenized sentence a line, as in the real corpus)
    ("pos", "cv000_11111.txt"): "a warm , funny film .\nthe cast shines .\n",
    ("pos", "cv105_22222.txt"): "i loved every minute of it .\n",
    ("pos", "cv999_33333.txt"): "a small triumph .\r\nworth the ticket .\n",
    ("neg", "cv000_44444.txt"): "a dull , plodding mess .\n",
    ("neg", "cv250_55555.txt"): "the jokes fall flat .\nno one should see it .\n",
    ("neg", "cv999_66666.txt"): "two hours i will not get back .\n",
}

IMDB_FILES = {
    # path inside aclImdb/: text (raw, with <br /> tags and non-ASCII, as in the real corpus)
    "train/pos/0_9.txt": "A lovely film.<br /><br />Naïve and sweet, in the best way.",
    "train/pos/12_7.txt": "Good, not great.",
    "train/neg/3_1.txt": "Awful from start to finish.",
    "train/neg/10_4.txt": "Some nice shots, but a weak script.",
    "train/unsup/5_0.txt": "I saw this on a plane.",
    "test/pos/196_9.txt": "The best war film I have seen — it moved me.",
    "test/neg/2_2.txt": "Boring.",
}

MR_POS = b"a gem of a movie , caf\xe9 charm and all . \nsmart \x85 and funny\n"
MR_NEG = b"flat and lifeless . \n\x93 overlong \x94 . \n"
SUBJ_QUOTE = b"a film that dares to be sweet \xbd . \nit is a joy . \n"
SUBJ_PLOT = b"a man moves to paris .\nhis sister follows him .\n"


def write_files(base: Path, files: dict[str, bytes | str]) -> None:
    """Write ``files`` (relative path -> contents) under ``base``."""
    for rel, content in files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)


def tar_gz(files: dict[str, bytes | str]) -> bytes:
    """A .tar.gz (in memory) holding ``files`` (member name -> contents)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, content in files.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def polarity_members() -> dict[str, bytes | str]:
    """Members of a fake review_polarity.tar.gz: txt_sentoken/ and the README at the top."""
    members: dict[str, bytes | str] = {
        f"txt_sentoken/{sub}/{name}": text for (sub, name), text in POLARITY_FILES.items()
    }
    members["poldata.README.2.0"] = "fake readme for tests\n"
    return members


def imdb_members() -> dict[str, bytes | str]:
    """Members of a fake aclImdb_v1.tar.gz: everything under aclImdb/."""
    members: dict[str, bytes | str] = {f"aclImdb/{rel}": text for rel, text in IMDB_FILES.items()}
    members["aclImdb/README"] = "fake readme\n"
    return members


def mr_members() -> dict[str, bytes | str]:
    """Members of a fake rt-polaritydata.tar.gz: the folder plus a README beside it."""
    return {
        "rt-polaritydata/rt-polarity.pos": MR_POS,
        "rt-polaritydata/rt-polarity.neg": MR_NEG,
        "rt-polaritydata.README.1.0.txt": "fake readme\r\n",
    }


def subj_members() -> dict[str, bytes | str]:
    """Members of a fake rotten_imdb.tar.gz: the files at the top level."""
    return {
        "quote.tok.gt9.5000": SUBJ_QUOTE,
        "plot.tok.gt9.5000": SUBJ_PLOT,
        "subjdata.README.1.0": "fake readme\r\n",
    }


@pytest.fixture
def fake_root(tmp_path: Path) -> Path:
    """A data folder with all four fake corpora (imdb as its archive)."""
    root = tmp_path / "data"
    write_files(root / "review_polarity", polarity_members())
    (root / "aclImdb").mkdir(parents=True)
    (root / "aclImdb" / "aclImdb_v1.tar.gz").write_bytes(tar_gz(imdb_members()))
    write_files(root / "rt-polaritydata", {k.split("/")[-1]: v for k, v in mr_members().items()})
    write_files(root / "rotten_imdb", subj_members())
    return root


# --- a local HTTP server for download tests ---------------------------------------------------


@dataclass
class Served:
    """What the test server answers: path -> (status, body, how to send it)."""

    routes: dict[str, tuple[int, bytes, str]] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)
    base: str = ""

    def add(self, path: str, body: bytes, *, status: int = 200, mode: str = "ok") -> str:
        """Serve ``body`` at ``path``; mode "short" announces the full size but sends half, then closes."""
        self.routes[path] = (status, body, mode)
        return self.base + path


@pytest.fixture
def http_server() -> Iterator[Served]:
    """An HTTP server on 127.0.0.1 (ephemeral port) in a thread, shut down after the test."""
    served = Served()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.hits.append(self.path)
            status, body, mode = served.routes.get(self.path, (404, b"not found", "ok"))
            self.send_response(status)
            self.send_header("Content-Type", "application/gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if mode == "short":
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    served.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def kit() -> SimpleNamespace:
    """The fake-corpus builders and texts above, for tests (fixtures work under any import mode)."""
    return SimpleNamespace(
        POLARITY_FILES=POLARITY_FILES,
        IMDB_FILES=IMDB_FILES,
        MR_POS=MR_POS,
        MR_NEG=MR_NEG,
        SUBJ_QUOTE=SUBJ_QUOTE,
        SUBJ_PLOT=SUBJ_PLOT,
        write_files=write_files,
        tar_gz=tar_gz,
        polarity_members=polarity_members,
        imdb_members=imdb_members,
        mr_members=mr_members,
        subj_members=subj_members,
    )
