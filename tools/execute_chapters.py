"""Execute the book's chapters in parallel into the execution cache of the build.

Jupyter Book 1 (myst-nb, ``execute_notebooks: cache``) executes the chapters one
after another while Sphinx reads them. This tool runs first, on every core: it adds
each notebook page of ``_toc.yml`` to the build's jupyter-cache project, as myst-nb
does (same path, same reader), executes the chapters the cache does not hold yet in a
pool of worker processes (each chapter in its own folder, with the timeout of
``_config.yml``), and stores each result where myst-nb looks it up. The build that
follows then finds every chapter in the cache ("Using cached notebook") and only
renders. A chapter that fails here is only reported: nothing is cached for it, so
the build executes it again and fails with its traceback, as without this tool.

    python tools/execute_chapters.py                      # `make book`'s cache
    python tools/execute_chapters.py --config CFG.yml     # the cache CFG names
"""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shared import ROOT, toc_pages

# myst-nb's reader of MyST Markdown notebooks, as it registers it with jupyter-cache
# (myst_nb/core/read.py, create_nb_reader): the cache records and hashes a chapter
# as read by it.
MYST_READ_DATA = {"type": "plugin", "name": "myst_nb_md"}


def notebook_pages() -> list[tuple[Path, dict | None]]:
    """The pages of ``_toc.yml`` that myst-nb executes, with their jupyter-cache
    reader (None: the default, for .ipynb): Markdown pages only when they start with
    a MyST notebook header."""
    from myst_nb.core.read import is_myst_markdown_notebook

    pages = []
    for page in toc_pages():
        for suffix in (".ipynb", ".md"):
            path = ROOT / f"{page}{suffix}"
            if suffix == ".ipynb" and path.is_file():
                pages.append((path, None))
                break
            if path.is_file() and is_myst_markdown_notebook(path.read_text("utf8")):
                pages.append((path, MYST_READ_DATA))
    return pages


def execute(cache_path: str, pk: int, timeout: int, allow_errors: bool):
    """In a worker process: run project notebook ``pk`` in its folder, as myst-nb's
    ``NotebookClientCache`` does. Returns (notebook, seconds, traceback or None)."""
    from jupyter_cache import get_cache
    from jupyter_cache.executors.utils import single_nb_execution

    project_nb = get_cache(cache_path).get_project_notebook(pk)
    nb = project_nb.nb
    overrides = nb.metadata.get("mystnb", {})  # a chapter's own execution settings
    result = single_nb_execution(
        nb,
        cwd=str(Path(project_nb.uri).parent),
        timeout=overrides.get("execution_timeout", timeout),
        allow_errors=overrides.get("execution_allow_errors", allow_errors),
        meta_override=True,
    )
    return nb, result.time, result.exc_string if result.err else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", type=Path, default=ROOT / "_config.yml")
    parser.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1))
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # each chapter as it ends

    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    settings = (yaml.safe_load(args.config.read_text()) or {}).get("execute") or {}
    if settings.get("execute_notebooks") != "cache":
        print("execute_chapters: the build does not read an execution cache")
        return 0
    # myst-nb's default cache is _build/.jupyter_cache beside the HTML build
    cache_path = str(settings.get("cache") or ROOT / "_build" / ".jupyter_cache")
    timeout = settings.get("timeout", 30)
    allow_errors = settings.get("allow_errors", False)
    cache = get_cache(cache_path)

    todo = []
    for path, read_data in notebook_pages():
        kwargs = {"read_data": read_data} if read_data else {}
        record = cache.add_nb_to_project(str(path), **kwargs)
        try:
            cache.match_cache_notebook(cache.get_project_notebook(record.pk).nb)
        except KeyError:
            todo.append(record)
    if not todo:
        print("execute_chapters: every chapter is in the execution cache")
        return 0
    workers = max(1, min(args.workers, len(todo)))
    print(f"execute_chapters: executing {len(todo)} chapter(s), {workers} at a time")
    failed = []
    with ProcessPoolExecutor(workers) as pool:
        jobs = {
            pool.submit(execute, cache_path, r.pk, timeout, allow_errors): r
            for r in todo
        }
        for job in as_completed(jobs):
            uri = jobs[job].uri
            name = os.path.relpath(uri, ROOT)
            try:
                nb, seconds, traceback = job.result()
            except Exception as err:  # a kernel that died, say: the build says why
                traceback = repr(err)
            if traceback is not None:
                failed.append(name)
                print(f"  {name}: FAILED, left to the book build to report")
                continue
            bundle = CacheBundleIn(nb, uri, data={"execution_seconds": seconds})
            cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)
            print(f"  {name}: {seconds:.1f} s")
    if failed:
        print(f"execute_chapters: {len(failed)} failed; the build runs them again")
    return 0


if __name__ == "__main__":
    sys.exit(main())
