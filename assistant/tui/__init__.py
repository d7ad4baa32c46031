"""The Mitra terminal app (Textual): ask, read the evidence, follow it into the document.

`assistant.tui.app.run(settings)` opens it; `make_app(...)` builds it for tests.
Nothing here does retrieval: the app calls the core API from worker threads.
"""
