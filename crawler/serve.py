"""Browse an archive with Datasette: its own command line, our metadata, safe defaults.

Datasette keys a database's metadata by the file's stem, and
`datasette/metadata.yaml` is written for `archive.db`, so `metadata_for`
re-keys it to the archive being served and Datasette reads the result on
stdin (`--metadata -`): any archive name gets the data dictionary, and no
temporary file is left behind. The archive is served in normal (not
immutable) mode, because a crawl may be appending to it, and only with
the project's own read-only plugins and templates (`datasette/plugins`:
search functions, the article reading page, the month facet, hidden long
columns, the read-only guard, an article's cluster of copies;
`datasette/templates`), so nothing can write to it through Datasette.
"""
from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import yaml

from pipelines.schema import open_archive

DATASETTE_DIR = Path(__file__).resolve().parent.parent / "datasette"
METADATA_TEMPLATE = DATASETTE_DIR / "metadata.yaml"
TEMPLATE_DATABASE = "archive"  # the database key metadata.yaml is written under
SETTINGS = {"sql_time_limit_ms": 2000, "default_page_size": 50, "truncate_cells_html": 200}


def metadata_for(db_path) -> dict:
    """The bundled metadata, its database section and plugins' `db:` keys naming this archive's stem."""
    metadata = yaml.safe_load(METADATA_TEMPLATE.read_text("utf-8"))
    stem = Path(db_path).stem
    databases = metadata["databases"]
    databases[stem] = databases.pop(TEMPLATE_DATABASE)
    _rename_db(metadata.get("plugins"), stem)
    return metadata


def _rename_db(config, stem: str) -> None:
    """Point every `db: archive` in a plugin configuration (dashboard charts) at `stem`."""
    if isinstance(config, dict):
        if config.get("db") == TEMPLATE_DATABASE:
            config["db"] = stem
        for value in config.values():
            _rename_db(value, stem)


def datasette_args(db_path, host="127.0.0.1", port=8001) -> list[str]:
    """The command that serves `db_path`; feed it `metadata_for(db_path)` as JSON on stdin."""
    args = [sys.executable, "-m", "datasette", "serve", str(db_path),
            "--host", host, "--port", str(port), "--metadata", "-",
            "--plugins-dir", str(DATASETTE_DIR / "plugins"), "--template-dir", str(DATASETTE_DIR / "templates")]
    for name, value in SETTINGS.items():
        args += ["--setting", name, str(value)]
    return args


def prepare_archive(db_path) -> Path:
    """Check the archive exists and bring it to the current schema (a fresh file gets its tables)."""
    path = Path(db_path)
    if not path.is_file():
        raise FileNotFoundError(
            f"no archive at {path}: crawl something first (archive crawl URL --db {path})")
    open_archive(path).close()
    return path


def serve(db_path, host="127.0.0.1", port=8001) -> int:
    """Run Datasette on the archive until interrupted; returns its exit code."""
    path = prepare_archive(db_path)
    print(f"Serving {path} at http://{host}:{port}/{path.stem} (Ctrl-C to stop)", flush=True)
    metadata = json.dumps(metadata_for(path))  # ASCII: safe whatever the locale
    # SIGTERM (kill, systemd, a test stopping us) ends Datasette too: the exception
    # it raises makes subprocess.run kill its child, as Ctrl-C does.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        return subprocess.run(datasette_args(path, host, port), input=metadata, text=True).returncode
    except KeyboardInterrupt:
        return 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt
