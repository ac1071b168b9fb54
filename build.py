#!/usr/bin/env python3
"""Build the public catalogue of government work-plan tasks (one or more plans).

    python build.py            build content/ into site/
    python build.py check      validate content/ only
    python build.py serve      build, serve on 127.0.0.1:8000, rebuild and reload on change
    python build.py import TABLE --plan ID   a plan from an XLSX or CSV table into content/plans/ID/

Exit status: 0 done, 1 content errors (listed with file and line), 2 wrong usage (nothing
touched), 3 the machine refused (disk full, read-only, no permission) or an internal error,
130 interrupted; the last good site stays in place whenever the status is not 0.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import sys
from pathlib import Path

from catalogue.errors import BuildError, ContentErrors, MachineError, UsageError, describe_internal_error
from catalogue.model import PartialDate
from catalogue.memory import Memory
from catalogue.pipeline import Paths, Settings, build, check
from catalogue.publish import check_publishable, environment_defaults
from catalogue.urls import url_problem
from catalogue.validate import base_url_problem

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_MACHINE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def base_url_argument(value: str) -> str:
    """--base-url as the build needs it: passing the URL policy, ending in /."""
    url = value if value.endswith("/") else value + "/"
    problem = base_url_problem(url)
    if problem:
        raise argparse.ArgumentTypeError(f"{problem[1]} ({problem[0]})")
    return url


def url_argument(value: str) -> str:
    """An address given on the command line, held to the policy every address from content meets."""
    problem = url_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(f"{problem[1]} ({problem[0]})")
    return value


def folder_argument(value: str) -> Path:
    """A folder given on the command line; an empty one is most often an unset shell variable."""
    if not value.strip():
        raise argparse.ArgumentTypeError("empty folder name (an unset shell variable?) — 文件夹名为空")
    return Path(value)


def table_argument(value: str) -> Path:
    """The table to import, named by a suffix the reader can read."""
    from catalogue.reader import TABLE_SUFFIXES

    path = folder_argument(value)
    if path.suffix.lower() not in TABLE_SUFFIXES:
        raise argparse.ArgumentTypeError(f"'{value}' is not a table ({', '.join(TABLE_SUFFIXES)}) — "
                                         f"“{value}”不是表格文件（.xlsx 或 .csv）")
    return path


def date_argument(value: str):
    """A document's date as it states it: YYYY-MM-DD, or YYYY-MM or YYYY when it says no more
    (kept as written, "2022", never padded to a day)."""
    partial = PartialDate.parse(value.strip())
    if partial is not None:
        return partial.isoformat() if isinstance(partial, PartialDate) else partial
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date YYYY-MM-DD, YYYY-MM or YYYY — “{value}”应写成 年-月-日；"
                                         "原文件只写到年或月时写 2022 或 2022-03") from None


def port_argument(value: str) -> int:
    """A TCP port the preview can listen on."""
    try:
        port = int(value)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"'{value}' is not a port between 1 and 65535 — 端口应为 1 到 65535 之间的整数")
    return port


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python build.py",
        description="Build the catalogue site from content/ (生成重点工作公开目录网站).",
        epilog="exit status: 0 built/valid, 1 content errors, 2 usage error (nothing touched), "
               "3 the machine refused (disk full, read-only) or an internal error, 130 interrupted",
    )
    parser.add_argument("command", nargs="?", default="build", choices=("build", "check", "serve", "import"),
                        help="build: validate and write the site (default); check: validate only, "
                             "write nothing; serve: build, serve on 127.0.0.1 with live reload, "
                             "rebuild on every change to content/, templates/ or assets/ and show "
                             "content errors in the browser until they are fixed; import: read TABLE "
                             "(XLSX or CSV) into a new plan, content/plans/<--plan>/, never overwriting")
    parser.add_argument("table", nargs="?", type=table_argument, metavar="TABLE",
                        help="import: the table to read (.xlsx or .csv)")
    parser.add_argument("--plan", metavar="ID", help="import: the new plan's id, e.g. 2022 or nanchang-2023")
    parser.add_argument("--sheet", metavar="NAME", help="import: the worksheet to read (default: the first)")
    parser.add_argument("--government", metavar="ID", help="import: the government the plan is of (default: the "
                        "first, whose registries are content/leaders.yaml and units.yaml); a new one gets "
                        "content/governments/ID/, made from the table")
    parser.add_argument("--government-name", metavar="TEXT", help="import: a new government's name (default: the "
                        "issuer without 办公厅/办公室)")
    parser.add_argument("--columns", metavar="ROLE=HEADER,…", help="import: what columns (or an item list's labels) "
                        "are, when their headers do not say: text=重点工作,lead_units=牵头责任单位,… (roles: number, "
                        "text, leaders, lead_units, responsible_units, deadline_text, division, skip)")
    parser.add_argument("--replace", action="store_true", default=None, help="import: import again a plan this command made "
                        "(refused if anything in it was edited since)")
    for option, what in (("--title", "the plan's title"), ("--short-title", "its short title"),
                         ("--issuer", "the issuing body"), ("--number", "the document number (文号)"),
                         ("--source-title", "the document's full title"),
                         ("--date", "the document's date: YYYY-MM-DD, or YYYY-MM or YYYY when it gives no more")):
        parser.add_argument(option, metavar="DATE" if option == "--date" else "TEXT",
                            type=date_argument if option == "--date" else None,
                            help=f"import: {what}, written to plan.yaml")
    parser.add_argument("--content", type=folder_argument, default=Paths.content, metavar="DIR",
                        help="content folder to read (default: content/)")
    parser.add_argument("--out", type=folder_argument, default=Paths.out, metavar="DIR",
                        help="folder to write the site to (default: site/); it must be missing, empty or "
                             "an earlier output of this build, which is replaced whole")
    parser.add_argument("--base-url", metavar="URL", type=base_url_argument, help="absolute URL the site is published at; overrides "
                                           "base_url in content/site.yaml (canonical links, sitemap, feed)")
    parser.add_argument("--repository", metavar="URL", type=url_argument, help="address of the content repository; overrides "
                        "site.yaml (on GitHub Actions it defaults to the workflow's repository)")
    parser.add_argument("--publish", action="store_true",
                        help="publishing build: refuse placeholders (example.org, OWNER/REPO) and a site "
                             "without base_url or a way to report errors, and say what to set")
    parser.add_argument("--port", type=port_argument, default=8000, metavar="N",
                        help="port serve listens on, on 127.0.0.1 only (default: 8000)")
    loudness = parser.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    loudness.add_argument("-v", "--verbose", action="store_true", help="print each build step")
    args = parser.parse_args(argv)
    # TABLE belongs to import alone: `build.py build typo.yaml` is a mistake, not a build.
    if args.table is not None and args.command != "import":
        parser.error(f"unexpected argument '{args.table}': only import takes a TABLE — "
                     f"多余的参数“{args.table}”：只有 import 需要表格文件")
    given = [action.option_strings[0] for action in parser._actions
             if (action.help or "").startswith("import:") and action.option_strings
             and getattr(args, action.dest) is not None]
    if given and args.command != "import":
        parser.error(f"{', '.join(given)}: only for import — {'、'.join(given)} 只用于 import")
    return args


def main(argv: list[str] | None = None) -> int:
    # A build makes millions of small objects and frees few until it ends; the collector's
    # default thresholds walk the whole heap again and again for nothing (at 10,000 tasks a
    # tenth of a build and a third of a preview's rebuild). mypy raises them the same way.
    gc.set_threshold(200_000, 30, 30)
    try:
        args = parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as exit_:
        return EXIT_OK if exit_.code == 0 else EXIT_USAGE
    paths = Paths(content=args.content, out=args.out)
    settings = Settings(args.base_url, {"repository": args.repository or ""}, environment_defaults(dict(os.environ)))
    say = (lambda message: None) if args.quiet else print
    progress = (lambda message: print(f"… {message}", flush=True)) if args.verbose else (lambda message: None)
    try:
        if args.command == "serve":
            from catalogue.serve import serve

            return serve(paths, settings, port=args.port, say=say, progress=progress)
        if args.command == "import":
            return import_command(args, say)
        if args.command == "check":
            catalogue = check(paths)
            say(f"content OK: {len(catalogue.tasks)} tasks — 内容检查通过，共 {len(catalogue.tasks)} 项任务")
        else:
            # What the last build made is kept beside the site (.site.cache/): this one makes again
            # only what changed since.
            memory = Memory.load(paths.out)
            say(build(paths, settings, memory, progress=progress,
                      check_site=check_publishable if args.publish else None).summary())
            keep(memory, paths.out)
    except ContentErrors as errors:
        print(errors.report(), file=sys.stderr)
        return EXIT_CONTENT
    except BuildError as error:
        print(f"build failed: {error}", file=sys.stderr)
        return EXIT_CONTENT
    except UsageError as error:
        print(f"refused: {error.en}\n拒绝执行：{error.zh}", file=sys.stderr)
        return EXIT_USAGE
    except MachineError as error:
        print(f"build failed: {error}", file=sys.stderr)
        return EXIT_MACHINE
    except KeyboardInterrupt:
        print("interrupted; the previous site is unchanged — 已中断，原有网站保持不变", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:  # a bug: one line that says where, the traceback only when asked
        if args.verbose:
            raise
        print(describe_internal_error(error), file=sys.stderr)
        return EXIT_MACHINE
    return EXIT_OK


def keep(memory: Memory, out: Path) -> None:
    """Keep the build's memory for the next one; the site is built whatever happens to it."""
    try:
        memory.save(out)
    except (UsageError, MachineError) as error:
        print(f"note: {error} — the next build starts from scratch", file=sys.stderr)


def import_command(args: argparse.Namespace, say) -> int:
    """python build.py import TABLE --plan ID: write the new plan, print the report."""
    from catalogue.table_import import import_table

    if args.table is None or not args.plan:
        raise UsageError("import needs a table and --plan ID", "import 需要表格文件和 --plan 编号")
    plan = {"title": args.title, "short_title": args.short_title, "issuer": args.issuer,
            "source_title": args.source_title, "source_number": args.number, "source_date": args.date}
    try:
        say(import_table(args.table, args.plan, args.content, plan, args.sheet, government=args.government,
                         columns=args.columns, replace=bool(args.replace), name=args.government_name))
    except ContentErrors as errors:
        print(errors.report(("导入", "by the import"), ("没有写入任何文件", "nothing was written")), file=sys.stderr)
        return EXIT_CONTENT
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
