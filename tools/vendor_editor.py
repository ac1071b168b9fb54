"""Copy the editor form's third-party files out of node_modules/ into assets/vendor/, unchanged.

    npm ci && .venv/bin/python tools/vendor_editor.py            copy them (after changing a version in package.json)
    .venv/bin/python tools/vendor_editor.py --check              exit 1 if a committed copy differs from node_modules/

The copies are committed, so `python build.py` makes a working admin/ without Node.js, and the
site loads them from itself (no CDN). package.json pins the exact versions; the test suite runs
--check, so a copy that drifts from its package fails CI.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "assets" / "vendor"


@dataclass(frozen=True)
class Vendored:
    package: str          # the npm package
    folder: str           # its copy: assets/vendor/<folder>/
    source: str           # the folder of the package the files come from
    keep: re.Pattern      # which of its files (relative to `source`) the site needs
    licence: str          # the licence text, relative to node_modules/
    main: str             # the file index.html loads, whose digest the README records
    about: str            # what it is and why these files


PACKAGES = (
    Vendored(
        package="decap-cms",
        folder="decap-cms",
        source="decap-cms/dist",
        # The bundle, the chunks it loads on demand (code editor modes, locales) and the two
        # WebAssembly files two of them fetch; not the source maps (50 MB) nor the cms.js twins.
        keep=re.compile(r"decap-cms\.js|decap-cms\.js\.LICENSE\.txt|[0-9]+\.decap-cms\.js|[0-9a-f]{20}\.wasm"),
        # The package declares MIT but ships no licence text; decap-server, published from the
        # same repository (decaporg/decap-cms), carries the repository's LICENSE.
        licence="decap-server/LICENSE",
        main="decap-cms.js",
        about="Decap CMS, the editor form of `admin/`. `decap-cms.js.LICENSE.txt` lists the licences of the "
              "libraries the bundle contains. The package declares the MIT licence in its package.json but "
              "ships no licence text: `LICENSE` is the text of the repository it is published from "
              "(decaporg/decap-cms), as the package decap-server from the same repository ships it.",
    ),
    Vendored(
        package="yaml",
        folder="yaml",
        source="yaml/browser",
        keep=re.compile(r"package\.json|index\.js|dist/.+\.js"),
        licence="yaml/LICENSE",
        main="dist/index.js",
        about="The YAML library the editor form's task format (`assets/js/admin/task-format.js`) uses to "
              "write back only the values an editor changed, keeping the rest of a task file byte for byte. "
              "These are the package's ES modules for browsers; its `package.json` says so to Node.js, "
              "which runs them in the tests.",
    ),
)


def installed_version(package: str) -> str:
    return json.loads((NODE_MODULES / package / "package.json").read_text(encoding="utf-8"))["version"]


def pinned_version(package: str) -> str:
    """The exact version package.json asks for."""
    wanted = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["devDependencies"][package]
    if not re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", wanted):
        raise SystemExit(f"package.json must pin {package} to an exact version, not {wanted!r}")
    return wanted


def expected_files(vendored: Vendored) -> dict[str, bytes]:
    """Every file of the copy, by its path inside assets/vendor/<folder>/, as node_modules/ has it."""
    source = NODE_MODULES / vendored.source
    files = {path.relative_to(source).as_posix(): path.read_bytes()
             for path in sorted(source.rglob("*"))
             if path.is_file() and vendored.keep.fullmatch(path.relative_to(source).as_posix())}
    if vendored.main not in files:
        raise SystemExit(f"{vendored.main} is not in node_modules/{vendored.source}: run npm ci")
    files["LICENSE"] = (NODE_MODULES / vendored.licence).read_bytes()
    version = installed_version(vendored.package)
    digest = hashlib.sha256(files[vendored.main]).hexdigest()
    files["README.md"] = (
        f"# {vendored.package} {version}\n\n"
        f"Copied unchanged from the npm package `{vendored.package}@{version}` (`node_modules/{vendored.source}/`) "
        f"by `tools/vendor_editor.py`; package.json pins the version.\n\n"
        f"    sha256 {digest}  {vendored.main}\n\n{vendored.about}\n"
    ).encode("utf-8")
    return files


def differences(vendored: Vendored) -> list[str]:
    """What differs between assets/vendor/<folder>/ and node_modules/, one line each."""
    if installed_version(vendored.package) != pinned_version(vendored.package):
        return [f"node_modules has {vendored.package} {installed_version(vendored.package)}, "
                f"package.json pins {pinned_version(vendored.package)}: run npm ci"]
    folder = VENDOR / vendored.folder
    wanted = expected_files(vendored)
    present = {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()} if folder.is_dir() else set()
    found = [f"missing: {folder.name}/{name}" for name in sorted(wanted.keys() - present)]
    found += [f"not from the package: {folder.name}/{name}" for name in sorted(present - wanted.keys())]
    found += [f"differs: {folder.name}/{name}" for name in sorted(wanted.keys() & present)
              if (folder / name).read_bytes() != wanted[name]]
    return found


def copy(vendored: Vendored) -> int:
    folder = VENDOR / vendored.folder
    wanted = expected_files(vendored)
    if folder.is_dir():
        for path in sorted(folder.rglob("*"), reverse=True):
            if path.is_file() and path.relative_to(folder).as_posix() not in wanted:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    for name, data in wanted.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return len(wanted)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare the copies with node_modules/; change nothing")
    args = parser.parse_args(argv)
    missing = [v.package for v in PACKAGES if not (NODE_MODULES / v.package / "package.json").is_file()]
    if missing:
        print(f"node_modules/ lacks {', '.join(missing)}: run npm ci (bash setup.sh does)", file=sys.stderr)
        return 2
    if args.check:
        found = [line for vendored in PACKAGES for line in differences(vendored)]
        for line in found:
            print(line, file=sys.stderr)
        return 1 if found else 0
    for vendored in PACKAGES:
        pinned_version(vendored.package)
        count = copy(vendored)
        print(f"assets/vendor/{vendored.folder}/: {count} files of {vendored.package} {installed_version(vendored.package)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
