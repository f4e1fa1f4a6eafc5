"""The model on a cluster's workers: sent by its file, checked, loaded once per worker process.

A task never carries the model: it carries a :class:`ModelRef` (the file's path, the SHA-256 of
its bytes, the aspects it was given), a few hundred bytes. On a worker, :func:`worker_model`
loads the model the first time a task of the run needs it and keeps it for the life of the
process; every later task, and every thread, uses that one.

The file reaches a worker one of two ways:

* **its bytes, through a worker plugin** (:func:`ship_model`, the default): the client reads the
  file once and registers a :class:`ModelShipment` with the scheduler, which hands it to every
  worker, those that join later (a worker restarted after a crash) included; each writes the
  bytes into its own local folder once;
* **a path on shared storage** (``shared=True``; ``--shared-model``): each worker reads the file
  at the path the client named (NFS, a mounted bucket), and nothing is sent.

Either way the worker checks the file as every model file is checked (its format, its arrays'
checksums: :func:`~thumbs.pipeline.model.load_model`) and that its bytes are the client's (the
digest). A worker that cannot read it stops the run with one line naming the worker and the file
(:class:`WorkerModelError`). :func:`analyzed_table` is what every task then does with the model.
"""

from __future__ import annotations

import gc
import os
import secrets
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from thumbs.batch.engine import analyze_records
from thumbs.batch.outputs import arrow_table
from thumbs.batch.sources import Record
from thumbs.checksums import bytes_sha256, file_sha256
from thumbs.errors import ModelFileError, ThumbsError
from thumbs.parallel import chunked
from thumbs.pipeline.aspects import Aspects
from thumbs.pipeline.model import Model, load_model
from thumbs.pipeline.stream import DEFAULT_CHUNK_SIZE
from thumbs.text.aspect_terms import AspectTerms

#: The worker plugin's name, per model file: registering the same file twice replaces it, not adds it.
PLUGIN_NAME = "thumbs-model-{digest}"

#: On a worker: the model files shipped to it, by digest, and the models loaded, by (digest, aspects).
_SHIPPED: dict[str, Path] = {}
_LOADED: dict[tuple[str, Any], Model] = {}
_LOCK = threading.Lock()

__all__ = [
    "ModelRef",
    "ModelShipment",
    "WorkerModelError",
    "analyzed_table",
    "model_ref",
    "on_worker",
    "ship_model",
    "worker_model",
]


class WorkerModelError(ThumbsError):
    """A worker could not read or check the model file: which worker, which file, and why."""


@dataclass(frozen=True, slots=True)
class ModelRef:
    """What a task carries of the model: its file, the file's digest, and the aspects it was given.

    ``aspects`` is None for the built-in aspects, else the user's terms (aspect -> terms);
    ``fingerprint`` is :attr:`Model.fingerprint` (what was computed, for resuming a run).
    """

    path: str
    digest: str
    fingerprint: str
    aspects: tuple[tuple[str, tuple[str, ...]], ...] | None = None
    shared: bool = False  # workers read ``path`` themselves; nothing is shipped


def model_ref(model: Model | str | Path | None = None, *, shared: bool = False) -> ModelRef:
    """The :class:`ModelRef` of ``model``: a model loaded from a file, a model file's path, or None (the default).

    The file is loaded and checked here first, so that a bad file is said before a cluster starts.
    A model built in memory has no file to send: save it first (:meth:`Model.save`).
    """
    if model is None or isinstance(model, str | Path):
        model = load_model(model)
    if not isinstance(model, Model):
        raise ThumbsError(f"model= takes a Model or a model file's path, not {type(model).__name__}")
    if model.path is None:
        raise ThumbsError(
            "this model was built in memory and has no file: save it (model.save('my.thumbs')) and pass the file; "
            "workers load a model from its file, never from a pickle"
        )
    terms = next((c.terms for c in model.components if isinstance(c, Aspects)), None)
    aspects = None if terms is None else tuple((name, tuple(words)) for name, words in terms.aspects.items())
    path = Path(model.path).resolve()
    return ModelRef(str(path), file_sha256(path), model.fingerprint, aspects, shared)


class ModelShipment:
    """A worker plugin carrying a model file's bytes: each worker writes them into its local folder once.

    ``distributed`` calls :meth:`setup` on every worker of the cluster when the plugin is
    registered, and on every worker that joins afterwards.
    """

    def __init__(self, data: bytes, digest: str) -> None:
        self.data, self.digest = data, digest
        self.name = PLUGIN_NAME.format(digest=digest[:16])

    def setup(self, worker: Any) -> None:
        folder = Path(getattr(worker, "local_directory", None) or os.getcwd())
        path = folder / f"thumbs-model-{self.digest[:16]}.thumbs"
        temporary = folder / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            if not path.exists():
                temporary.write_bytes(self.data)
                os.replace(temporary, path)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            raise WorkerModelError(
                f"worker {_worker_name()} cannot write the model file {path} ({exc.strerror or exc}): "
                "free space in its local folder (dask worker --local-directory), or use --shared-model"
            ) from None
        _SHIPPED[self.digest] = path

    def teardown(self, worker: Any) -> None:
        """Nothing to undo: the worker's local folder goes with the worker."""


def ship_model(client: Any, ref: ModelRef) -> None:
    """Send the model file's bytes to every worker of ``client``'s cluster, now and as workers join
    (nothing is sent when ``ref.shared``: the workers read ``ref.path``)."""
    if ref.shared:
        return
    data = Path(ref.path).read_bytes()
    if bytes_sha256(data) != ref.digest:
        raise ThumbsError(f"the model file {ref.path} changed while the run started: run it again")
    from distributed.diagnostics.plugin import WorkerPlugin

    class _Plugin(ModelShipment, WorkerPlugin):  # distributed's base class, only where distributed is installed
        pass

    try:
        client.register_plugin(_Plugin(data, ref.digest), name=PLUGIN_NAME.format(digest=ref.digest[:16]))
    except ThumbsError:
        raise
    except Exception as exc:  # a worker's setup failed: distributed raises its error here, as it was
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ThumbsError(f"sending the model file {ref.path} to the workers failed ({reason})") from None


def worker_model(ref: ModelRef) -> Model:
    """The model ``ref`` names, loaded in this process the first time (checked), then kept."""
    key = (ref.digest, ref.aspects)
    with _LOCK:
        model = _LOADED.get(key)
        if model is None:
            model = _LOADED[key] = _load(ref)
            # The model lives as long as the worker: keep its objects out of the collector's full
            # passes, which a worker's many small allocations start often (as thumbs serve does).
            gc.freeze()
    return model


def _load(ref: ModelRef) -> Model:
    shipped = _SHIPPED.get(ref.digest) if not ref.shared else None
    path = shipped or Path(ref.path)
    where = f"worker {_worker_name()}"
    if ref.shared:
        fix = "put the model file on storage every worker reaches, at that path"
    elif shipped is None:
        fix = (
            "it was not sent to this worker: start the Client before thumbs.dask.analyze(), or ship_model(client, ref)"
        )
    else:
        fix = "check the worker's local folder (disk full? permissions?)"
    try:
        digest = file_sha256(path)
    except OSError as exc:
        raise WorkerModelError(f"{where} cannot read the model file {path} ({exc.strerror or exc}): {fix}") from None
    if digest != ref.digest:
        raise WorkerModelError(
            f"{where}: the model file {path} is not the file the run was started with (its bytes differ): "
            + (
                "put the same file there, or let thumbs send it to the workers (drop --shared-model)"
                if ref.shared
                else fix
            )
        )
    try:
        model = load_model(path)
    except (ModelFileError, ThumbsError, OSError) as exc:
        raise WorkerModelError(f"{where}: {exc}") from None
    if ref.aspects is not None:
        model = model.with_aspects(AspectTerms({name: list(words) for name, words in ref.aspects}))
    return model


def analyzed_table(model: Model, records: Iterable[Record], keep: tuple[str, ...], schema: Any) -> Any:
    """The records' analyses (their ``keep`` values after them) as an Arrow table of ``schema``: a chunk
    at a time through the batch engine's :func:`~thumbs.batch.engine.analyze_records`, each chunk's
    rows made Arrow columns at once (no dicts piling up for the collector)."""
    import pyarrow as pa

    tables = [
        arrow_table(analyze_records(True, keep, model, chunk), schema) for chunk in chunked(records, DEFAULT_CHUNK_SIZE)
    ]
    return pa.concat_tables(tables) if tables else schema.empty_table()


@contextmanager
def on_worker(what: str, fix: str) -> Iterator[None]:
    """Say which worker a user's mistake happened on: a :class:`ThumbsError` inside (a missing input
    file) or an OSError about ``what`` (an output folder it cannot write) becomes one line naming it."""
    try:
        yield
    except WorkerModelError:
        raise
    except ThumbsError as exc:
        raise ThumbsError(f"worker {_worker_name()}: {exc} ({fix})") from None
    except OSError as exc:
        raise ThumbsError(f"worker {_worker_name()} cannot use {what} ({exc.strerror or exc}): {fix}") from None


def _worker_name() -> str:
    """This worker's address (``tcp://10.0.0.7:39113``), or the process when no Dask worker runs it."""
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        return f"process {os.getpid()}"
