"""Facts may come from the seed documents; their wording may not.

No file of the education content (or its Python) may share a run of 8 or more
consecutive words with a seed document.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SEEDS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
RUN = 8


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))


def shingles(ws: list[str], n: int = RUN) -> set[tuple[str, ...]]:
    return {tuple(ws[i : i + n]) for i in range(len(ws) - n + 1)}


def education_files() -> list[Path]:
    folder = REPO_ROOT / "education"
    files = sorted(p for p in (folder / "content").rglob("*") if p.is_file())
    files += [folder / name for name in ("content.py", "selection.py", "sources.py", "caution.py")]
    return files


@pytest.fixture(scope="module")
def seed_shingles() -> set[tuple[str, ...]]:
    seeds = sorted(SEEDS_DIR.glob("*.txt"))
    if not seeds:
        pytest.skip(f"seed documents not found in {SEEDS_DIR}")
    found: set[tuple[str, ...]] = set()
    for seed in seeds:
        found |= shingles(words(seed.read_text(encoding="utf-8", errors="ignore")))
    return found


def test_there_are_files_to_check():
    assert len(education_files()) > 30


def test_no_education_file_copies_seed_wording(seed_shingles):
    problems = []
    for path in education_files():
        ws = words(path.read_text(encoding="utf-8"))
        for i in range(len(ws) - RUN + 1):
            if tuple(ws[i : i + RUN]) in seed_shingles:
                problems.append(f'{path.relative_to(REPO_ROOT)}: "{" ".join(ws[i : i + RUN])}"')
                break
    assert not problems, "Wording shared with the seed documents:\n" + "\n".join(problems)
