"""The README's data dictionary is the archive's contract: it names every table and column."""
import re
from pathlib import Path

from pipelines.schema import VIEWS, archive_columns, open_archive

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_readme_documents_every_table_and_column():
    for table, columns in archive_columns().items():
        section = re.search(rf"^### `{table}`.*?(?=^### |^## |\Z)", README, re.S | re.M)
        assert section, f"no data dictionary section for {table}"
        for column in columns:
            assert f"`{column}`" in section.group(0), f"{table}.{column} is not documented"


def test_readme_documents_every_view_and_column():
    db = open_archive(":memory:")
    for view in VIEWS:
        section = re.search(rf"^### `{view}`.*?(?=^### |^## |\Z)", README, re.S | re.M)
        assert section, f"no data dictionary section for view {view}"
        for column in db[view].columns_dict:
            assert f"`{column}`" in section.group(0), f"{view}.{column} is not documented"


def test_readme_first_screen_shows_the_two_commands():
    first_screen = "\n".join(README.splitlines()[:25])
    assert "make demo" in first_screen and "make test" in first_screen
