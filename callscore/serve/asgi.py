"""ASGI entry point for uvicorn (``callscore.serve.asgi:app``), configured by ``callscore serve``.

``callscore serve`` passes its options through the environment so that uvicorn can import the app in
each worker process: CALLSCORE_SERVE_DB (store URL) and CALLSCORE_SERVE_SECURE ("1": Secure cookies).
"""

from __future__ import annotations

import os

from .app import create_app

app = create_app(
    db_url=os.environ.get("CALLSCORE_SERVE_DB", "callscore.sqlite"),
    secure_cookies=os.environ.get("CALLSCORE_SERVE_SECURE") == "1",
)
