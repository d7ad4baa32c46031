"""A small library indexed once per session, and an app factory with everything that
makes screens flaky frozen (clock, language, theme, user config, paths)."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.config import OcrSettings, Settings
from assistant.index.build import build_index
from assistant.index.library import Library
from assistant.tui import i18n
from assistant.tui.app import MitraApp, make_app
from tests.tui.helpers import AppFactory, FakeEngine, fixed_clock, make_corpus, make_paged_corpus


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # Textual runs on asyncio; tests are marked `anyio` (no pytest-asyncio needed)


@pytest.fixture(autouse=True)
def english_interface() -> Iterator[None]:
    """The interface language is process-wide: start every test in English."""
    i18n.set_language("en")
    yield
    i18n.set_language("en")


class ErrorLog(logging.Handler):
    """The unexpected errors the app logged (each is also shown to the user)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(autouse=True)
def unexpected_errors() -> Iterator[list[str]]:
    """Every TUI test fails if the app logged an unexpected error, unless it takes (and
    empties) this list."""
    handler = ErrorLog()
    logger = logging.getLogger("mitra.tui")
    logger.addHandler(handler)
    yield handler.messages
    logger.removeHandler(handler)
    assert handler.messages == [], "the app logged unexpected errors:\n" + "\n".join(handler.messages)


@pytest.fixture(scope="session")
def built_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding `corpus/` and its built `index/` (fake embedder); copy before use."""
    return _built(tmp_path_factory.mktemp("tui-library"), make_corpus)


def _built(root: Path, make: Callable[[Path], object]) -> Path:
    """`root` with a corpus made by `make` in `corpus/` and its index (fake embedder) in
    `index/`. OCR off: a library's scan stands for a file the app reports as needing OCR."""
    make(root / "corpus")
    settings = Settings(
        corpus_dir=root / "corpus", index_dir=root / "index", embedders=("fake",), ocr=OcrSettings(enabled=False)
    )
    build_index(settings)
    return root


@pytest.fixture
def workdir(tmp_path: Path, built_index: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the built library as the current folder, so paths on screen are relative."""
    shutil.copytree(built_index / "corpus", tmp_path / "corpus")
    shutil.copytree(built_index / "index", tmp_path / "index")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MITRA_UI_LANGUAGE", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    return tmp_path


@pytest.fixture(scope="session")
def built_paged_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding `corpus/` (a 30-page PDF, a Markdown file in three parts) and its
    built `index/` (fake embedder), for scrolling through pages and sections; copy before use."""
    return _built(tmp_path_factory.mktemp("tui-paged-library"), make_paged_corpus)


@pytest.fixture
def paged_settings(workdir: Path, built_paged_index: Path) -> Settings:
    """The paged library, copied into `paged/` of the current folder."""
    for part in ("corpus", "index"):
        shutil.copytree(built_paged_index / part, workdir / "paged" / part)
    return Settings(
        corpus_dir=Path("paged/corpus"),
        index_dir=Path("paged/index"),
        embedders=("fake",),
        ocr=OcrSettings(enabled=False),
    )


@pytest.fixture
def paged_library(paged_settings: Settings) -> Iterator[Library]:
    lib = Library.open(paged_settings)
    yield lib
    lib.close()


@pytest.fixture
def settings(workdir: Path) -> Settings:
    return Settings(
        corpus_dir=Path("corpus"), index_dir=Path("index"), embedders=("fake",), ocr=OcrSettings(enabled=False)
    )


@pytest.fixture
def library(settings: Settings) -> Iterator[Library]:
    lib = Library.open(settings)
    yield lib
    lib.close()


@pytest.fixture
def engine(library: Library) -> FakeEngine:
    return FakeEngine(library)


@pytest.fixture
def app_factory(settings: Settings, workdir: Path) -> AppFactory:
    """make_app with a fixed clock, English, dark theme, exports to ./briefs, no user config;
    `engine` may be an engine object (used for every library) or a factory."""

    def factory(app_settings: Settings | None = None, **overrides: Any) -> MitraApp:
        engine = overrides.get("engine")
        if engine is not None and not callable(engine):
            overrides["engine"] = lambda _library: engine
        options: dict[str, Any] = {
            "clock": fixed_clock,
            "language": "en",
            "export_dir": workdir / "briefs",
            "prefs_path": None,
            "theme": "textual-dark",
        }
        options.update(overrides)
        return make_app(app_settings or settings, **options)

    return factory
