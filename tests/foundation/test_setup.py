"""A newcomer's set-up (issue 22 item 1): `make test` stops at once with the install line when a
program it needs is missing, `manage.py` works after `make run`/`make test` without DJANGO_DEBUG, and
production still refuses to start without a secret key."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
POPPLER = {"pdftotext", "pdfsig", "pdftoppm", "pdfinfo", "pdfimages", "pdffonts", "pdfseparate", "pdfunite",
           "pdftocairo", "pdftohtml", "pdftops", "pdfattach", "pdfdetach"}


def path_without(tmp_path, programs):
    """$PATH with `programs` gone: each directory holding one is replaced by a copy made of symlinks."""
    parts = []
    for index, folder in enumerate(os.environ["PATH"].split(os.pathsep)):
        entries = os.listdir(folder) if os.path.isdir(folder) else []
        if not programs & set(entries):
            parts.append(folder)
            continue
        shadow = tmp_path / f"path{index}"
        shadow.mkdir()
        for name in entries:
            if name not in programs:
                (shadow / name).symlink_to(Path(folder) / name)
        parts.append(str(shadow))
    return os.pathsep.join(parts)


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "STS_", "PYTEST", "DATABASE_URL",
                                                                    "REDIS_URL", "CELERY_"))}
    env.update(extra)
    return env


def test_make_test_without_poppler_stops_at_once_with_the_install_line(tmp_path):
    # apt-get gone too: as root with apt-get at hand it would install instead (what CI does).
    env = clean_env(PATH=path_without(tmp_path, POPPLER | {"apt-get"}))
    assert shutil.which("pdftotext", path=env["PATH"]) is None
    make = shutil.which("make")
    done = subprocess.run([make, "test", "PYTEST_ARGS=--collect-only -q"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "apt-get install -y --no-install-recommends poppler-utils" in done.stderr
    assert "pytest" not in done.stdout and "collected" not in done.stdout  # stopped before the suite


def test_the_check_passes_where_everything_is_installed():
    done = subprocess.run([str(ROOT / "scripts" / "system-deps"), "test"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == done.stderr == ""


def test_manage_py_works_as_written_after_make_and_production_still_needs_a_key(tmp_path):
    subprocess.run([shutil.which("make"), "-s", "var/local.env"], cwd=ROOT, check=True, timeout=60)
    command = [sys.executable, "manage.py", "generate_batch", "--help"]
    done = subprocess.run(command, cwd=ROOT, env=clean_env(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "--students" in done.stdout
    # Production: no var/local.env (another var dir) and no DJANGO_SECRET_KEY -> refuses to start.
    done = subprocess.run(command, cwd=ROOT, env=clean_env(STS_VAR_DIR=str(tmp_path)), capture_output=True,
                          text=True, timeout=120)
    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in done.stderr


def test_no_build_artefact_is_committed():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert not [f for f in tracked if f.endswith((".whl", ".egg", ".pyc", ".tar.gz")) or f.startswith(("dist/", "build/"))]
