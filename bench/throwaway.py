"""Set Django up for a benchmark on a throwaway SQLite database and media folder."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(prefix: str, database_url: str = "") -> Path:
    """Point Django at a new (or BENCH_DIR's) database and media folder, and set it up."""
    work = Path(os.environ.get("BENCH_DIR") or tempfile.mkdtemp(prefix=prefix))
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="collanavi.settings",
        DATABASE_URL=database_url or f"sqlite:///{work / 'bench.sqlite3'}",
        MEDIA_ROOT=str(work / "media"),
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    return work
