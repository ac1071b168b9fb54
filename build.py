#!/usr/bin/env python3
"""Build the public catalogue of government work-plan tasks (one or more plans).

    python build.py            build content/ into site/
    python build.py check      validate content/ only
    python build.py serve      build, serve on 127.0.0.1:8000, rebuild and reload on change
    python build.py import TABLE --plan ID   a plan from an XLSX or CSV table into content/plans/ID/
    python build.py report export --out DIR  one progress table (XLSX) per lead unit, to send out
    python build.py report import FILE…      the returned tables, as dated updates of the task files

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
from catalogue.pipeline import GC_THRESHOLDS, Paths, Settings, build, check
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


def parse_report_args(argv: list[str]) -> argparse.Namespace:
    """python build.py report export … | report import FILE…"""
    parser = argparse.ArgumentParser(
        prog="python build.py report",
        description="Progress tables for the lead units: send them out, read them back (报送表：导出、导入).",
        epilog="exit status: 0 done, 1 bad cells or content errors (nothing written), 2 usage error, 3 the machine refused")
    actions = parser.add_subparsers(dest="action", required=True, metavar="export|import")
    export = actions.add_parser(
        "export", help="one XLSX per lead unit, named with the unit and the as-of date",
        description="Write one progress table (XLSX) per lead unit into --out: the tasks it leads to fill in, "
                    "the tasks it shares for reference. With --due, record the reporting round in "
                    "content/rounds.yaml, which lets the site say which units did not report.")
    export.add_argument("--out", type=folder_argument, required=True, metavar="DIR",
                        help="folder for the tables (created if missing; existing tables are never overwritten)")
    export.add_argument("--plan", metavar="ID", help="the plan (default: the current plan)")
    who = export.add_mutually_exclusive_group()
    who.add_argument("--unit", metavar="NAME", help="only this unit's table")
    who.add_argument("--leader", metavar="NAME", help="only the tasks of this leader, a table per lead unit")
    export.add_argument("--as-of", type=date_argument, metavar="DATE", help="the day progress is asked as of (default: today)")
    export.add_argument("--due", type=date_argument, metavar="DATE",
                        help="the day the tables are due back; records the round in content/rounds.yaml")
    imported = actions.add_parser(
        "import", help="read returned tables into the task files",
        description="Add, per filled row, one dated update to the task's file. Every bad cell is reported "
                    "(file, sheet, row, column) and then nothing is written.")
    imported.add_argument("files", nargs="+", type=table_argument, metavar="FILE", help="returned tables (.xlsx)")
    imported.add_argument("--dry-run", action="store_true", help="print what would change, task by task; write nothing")
    for sub in (export, imported):
        sub.add_argument("--content", type=folder_argument, default=Paths.content, metavar="DIR",
                         help="content folder (default: content/)")
        sub.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    args = parser.parse_args(argv)
    args.command, args.verbose = "report", False
    return args


def parse_args(argv: list[str]) -> argparse.Namespace:
    if argv[:1] == ["report"]:
        return parse_report_args(argv[1:])
    parser = argparse.ArgumentParser(
        prog="python build.py",
        description="Build the catalogue site from content/ (生成重点工作公开目录网站).",
        epilog="exit status: 0 built/valid, 1 content errors, 2 usage error (nothing touched), "
               "3 the machine refused (disk full, read-only) or an internal error, 130 interrupted",
    )
    parser.add_argument("command", nargs="?", default="build", choices=("build", "check", "serve", "import", "report"),
                        help="build: validate and write the site (default); check: validate only, "
                             "write nothing; serve: build, serve on 127.0.0.1 with live reload, "
                             "rebuild on every change to content/, templates/ or assets/ and show "
                             "content errors in the browser until they are fixed; import: read TABLE "
                             "(XLSX or CSV) into a new plan, content/plans/<--plan>/, never overwriting; "
                             "report export|import: progress tables for the lead units (python build.py report -h)")
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


def said_at(message: str) -> None:
    """A build step as -v prints it, with the time of day to the millisecond: the preview's steps
    after a save are timed by reading them (docs/scale.md, "The preview")."""
    now = dt.datetime.now()
    print(f"… {now:%H:%M:%S}.{now.microsecond // 1000:03d} {message}", flush=True)


def main(argv: list[str] | None = None) -> int:
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        args = parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as exit_:
        return EXIT_OK if exit_.code == 0 else EXIT_USAGE
    paths = Paths(content=args.content, out=getattr(args, "out", Paths.out))
    # report's namespace has no --base-url nor --repository: it builds nothing.
    settings = Settings(getattr(args, "base_url", None), {"repository": getattr(args, "repository", None) or ""},
                        environment_defaults(dict(os.environ)))
    say = (lambda message: None) if args.quiet else print
    progress = said_at if args.verbose else (lambda message: None)
    try:
        if args.command == "serve":
            from catalogue.serve import serve

            return serve(paths, settings, port=args.port, say=say, progress=progress)
        if args.command == "import":
            return import_command(args, say)
        if args.command == "report":
            return report_command(args, say)
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


def report_command(args: argparse.Namespace, say) -> int:
    """python build.py report export | import: the progress tables of the lead units."""
    import datetime as dt

    try:
        import openpyxl  # noqa: F401
        import ruamel.yaml  # noqa: F401
    except ImportError:
        raise MachineError("report needs openpyxl and ruamel.yaml: .venv/bin/pip install -e '.[import]'"
                           " — 缺少 openpyxl 或 ruamel.yaml，请先运行 bash setup.sh") from None
    from catalogue.validate import CHINA

    today = dt.datetime.now(CHINA).date()
    catalogue = check(Paths(content=args.content))
    if args.action == "export":
        from catalogue.report_export import export_tables
        from catalogue.write import write_files

        files, rounds_text, report = export_tables(
            catalogue, args.out, args.content, plan_id=args.plan, unit_name=args.unit, leader_name=args.leader,
            as_of=args.as_of, due=args.due, today=today)
        write_files({**files, **({args.content / "rounds.yaml": rounds_text.encode("utf-8")} if rounds_text else {})})
        say(report + f"\n已写入 {len(files)} 个报送表到 {args.out}/")
        return EXIT_OK
    from catalogue.report_import import import_tables
    from catalogue.write import write_files

    result = import_tables(list(args.files), args.content, catalogue, today)
    if args.dry_run:
        say(result.report + "\n（试运行：没有写入任何文件）")
        return EXIT_OK
    write_files({change.file: change.new_text.encode("utf-8") for change in result.changes})
    say(result.report + (f"\n已写入 {len(result.changes)} 个任务文件。下一步：python build.py check，预览无误后提交拉取请求"
                         "（见 docs/editor-guide.md）。" if result.changes else "\n没有需要写入的改动。"))
    return EXIT_OK


def hard_exit(code: int) -> None:
    """End the process without freeing, one at a time, the millions of objects a build leaves
    (0.2 CPU s at 10,000 tasks): every file is written and closed by now, and nothing here
    waits on the interpreter's exit handlers. What is printed is flushed first."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can reach the reader
            pass
    os._exit(code)


if __name__ == "__main__":
    hard_exit(main())
