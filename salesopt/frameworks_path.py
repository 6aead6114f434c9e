"""Where the framework YAML lives (SALESOPT_FRAMEWORKS_DIR, else frameworks/ beside the package)."""

import os
from pathlib import Path

FRAMEWORKS_DIR = Path(
    os.environ.get("SALESOPT_FRAMEWORKS_DIR") or Path(__file__).resolve().parent.parent / "frameworks"
)
