"""Where the framework YAML lives (SALESOPT_FRAMEWORKS_DIR, else frameworks/ beside the package)."""

import os
from pathlib import Path

import yaml

# libyaml's C parser when present: the same safe subset of YAML (no tags that build objects), faster
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

FRAMEWORKS_DIR = Path(os.environ.get("SALESOPT_FRAMEWORKS_DIR") or Path(__file__).resolve().parents[2] / "frameworks")
