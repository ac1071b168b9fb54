"""The one door for input: every file the build, the preview and the import read is opened here,
with the same guards, and refused with a message naming the file (and, where there is one, the
line) instead of a traceback.

A file is read only if it is a regular file (not a folder, a pipe or a device), not a symbolic
link, not inside a folder that leads out of the tree it belongs to, and no larger than the limit
of its kind. Text must be UTF-8. YAML is parsed by load.py from the text read here; tables (CSV
and XLSX) are read by read_table below. The limits are listed in docs/maintainers.md, whose table
a test compares with the constants here.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import stat
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError, ContentErrors, MachineError

KiB, MiB = 1024, 1024 * 1024

# Limits far above any real file and far below what could make a build slow, a page huge or the
# machine run out of memory. The real figures: a task file 1-2 KB, the largest registry 20 KB,
# corrections.yaml 6 KB, the source text 45 KB, the largest asset 100 KB, a division table of
# 200 tasks 50 KB as XLSX.
MAX_TASK_BYTES = 256 * KiB
MAX_REGISTRY_BYTES = 1 * MiB       # site, sections, leaders, units, statuses, subjects, plan.yaml
MAX_CORRECTIONS_BYTES = 1 * MiB    # content/source/corrections.yaml
MAX_SOURCE_TEXT_BYTES = 4 * MiB    # content/source/*.txt, published as it is
MAX_ASSET_BYTES = 8 * MiB          # each file of assets/
MAX_TABLE_BYTES = 10 * MiB         # a table to import, CSV or XLSX, as it lies on disk
MAX_TABLE_UNPACKED_BYTES = 40 * MiB  # all the parts of an XLSX workbook, unpacked
MAX_TABLE_PARTS = 500              # files inside an XLSX workbook (a real one has about a dozen)
MAX_TABLE_CELLS = 200_000          # cells of the sheet read, empty ones inside the used range included
MAX_CELL_CHARS = 32_767            # Excel's own limit for one cell
MAX_CACHE_BYTES = 1024 * MiB       # a file of the build's own cache (its memory of 10,000 tasks: 20 MB)

TABLE_SUFFIXES = (".xlsx", ".xlsm", ".csv")


class Refused(ContentErrors):
    """A file that was not read, with the one problem that stopped it."""

    def __init__(self, error: ContentError):
        super().__init__([error])
        self.error = error


def _refuse(file: str, zh: str, en: str, hint_zh: str = "", hint_en: str = "", line: int | None = None,
            field: str = "") -> Refused:
    return Refused(ContentError(file, line, field, zh, en, hint_zh, hint_en))


def read_bytes(path: Path, file: str, limit: int, within: Path | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; else raise Refused naming `file`.

    With `within` (the tree the file belongs to: content/, assets/) a symbolic link is refused
    without being followed, as is a file whose folder leads out of that tree: either could have
    a private file's values published or printed in a public CI log. Without it (a table the
    user names on the command line) the path is the user's to choose and a link is followed. A
    folder, a pipe or a device is refused; a pipe is never waited on. (Tree reads a folder tree
    the same way, remembering what it has already checked and read.)"""
    path = Path(path)
    _check(path, file, within)
    return _read_checked(path, file, limit, within)


def _check(path: Path | str, file: str, within: Path | None, tree: "Tree | None" = None) -> os.stat_result:
    """The guards of read_bytes that need no reading: the file's stat, if it may be read. `tree`,
    a reading of `within`, knows the folders it already found inside."""
    try:
        info = os.lstat(path) if within is not None else os.stat(path)
    except OSError as error:
        raise _refuse(file, f"无法读取该文件：{error.strerror}。", f"cannot read the file: {error.strerror}.") from None
    if stat.S_ISLNK(info.st_mode):
        raise _refuse(file, "该文件是符号链接，不予读取；须是所在文件夹中的普通文件。",
                      "the file is a symbolic link and was not read; it must be a regular file in its folder.",
                      "用文件本身替换该链接。", "replace the link by the file itself")
    if within is not None and not (tree.holds(os.path.dirname(path)) if tree is not None else _inside(path.parent, within)):
        raise _refuse(file, "该文件所在的文件夹经符号链接指向别处，不予读取。",
                      "the file's folder is a symbolic link leading elsewhere; the file was not read.",
                      "用文件夹本身替换该链接。", "replace the link by the folder itself")
    _refuse_unless_regular(info, file, path)
    return info


def _read_checked(path: Path | str, file: str, limit: int, within: Path | None) -> bytes:
    try:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | (getattr(os, "O_NOFOLLOW", 0) if within is not None else 0)
        descriptor = os.open(path, flags)
        try:
            # Swapped for a pipe or a link since lstat: look again at what was opened.
            info = os.fstat(descriptor)
            _refuse_unless_regular(info, file, path)
            data = _read_at_most(descriptor, limit + 1, info.st_size)
        finally:
            os.close(descriptor)
    except OSError as error:
        raise _refuse(file, f"无法读取该文件：{error.strerror}。", f"cannot read the file: {error.strerror}.",
                      "检查文件权限。", "check the file's permissions") from None
    if len(data) > limit:  # read no further than one byte past the limit, however big the file
        raise _refuse(file, f"文件过大（上限 {limit:,} 字节）。", f"the file is too large (the limit is {limit:,} bytes).",
                      "检查是否误粘贴了大段文字，或选错了文件。", "check for text pasted by mistake, or a wrong file")
    return data


def _read_at_most(descriptor: int, most: int, size: int) -> bytes:
    """The bytes of an open file up to `most`, `size` (its stat's) expected: the first read asks
    for one byte more than that (to see the end), not for `most`, whose buffer (the limit, 256 KB
    for a task file) would be allocated and let go for every file; it reads on while the file
    gives more, as one that grew since its stat does."""
    parts = []
    wanted = min(size + 1, most)
    while most > 0:
        part = os.read(descriptor, wanted)
        if not part:
            break
        parts.append(part)
        most -= len(part)
        wanted = min(most, 64 * KiB)
    return b"".join(parts)


def _refuse_unless_regular(info: os.stat_result, file: str, path: Path | str) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise _refuse(file, "这是一个文件夹，不是文件。", "this is a folder, not a file.",
                      f"删除或改名该文件夹（文件夹名不要以 {Path(path).suffix or '文件的扩展名'} 结尾）。",
                      "remove or rename the folder")
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(file, "这不是普通文件，不予读取。", "this is not a regular file and was not read.")


def _inside(folder: Path, tree: Path) -> bool:
    try:
        resolved, root = folder.resolve(), Path(tree).resolve()
    except (OSError, RuntimeError):  # a loop of links
        return False
    return resolved == root or root in resolved.parents


# A file changed less than this long before it was read may change again within the same tick of
# the clock that stamps it, keeping its stamp: its signature is not trusted (git's "racily clean").
RACY_NS = 2_000_000_000

Signature = tuple[int, int, int, int, int]  # device, inode, size, modification and change times (ns)


def signature(info: os.stat_result) -> Signature:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


class Tree:
    """One reading of a folder tree (content/) by a build, with what earlier builds read from it.

    `seen` holds, by path, the signature a file had when read and the digest of its bytes. A file
    whose signature is unchanged, and which had been still for RACY_NS when it was read, is known
    by its digest without being read again: every write changes a file's change time, which no
    program can set back. Each file still passes every guard of read_bytes first."""

    def __init__(self, root: Path, seen: "dict[str, tuple[Signature, bytes]]"):
        self.root = Path(root)
        self.seen = seen
        self._inside: set[str] = set()

    def holds(self, folder: str) -> bool:
        """Whether `folder` leads, through whatever links, to a folder inside the tree: resolved
        once per reading. Known by its path as text: a Path hashed for each of 10,000 files was a
        sixtieth of a second."""
        if folder in self._inside:
            return True
        if _inside(Path(folder), self.root):
            self._inside.add(folder)
            return True
        return False

    def read(self, path: Path, file: str, limit: int) -> bytes:
        """read_bytes(path, file, limit, within=the tree), each folder resolved once per reading:
        a build that compares two thousand files of one folder with the site's resolves it once."""
        _check(path, file, self.root, self)
        return _read_checked(path, file, limit, self.root)

    def digest_or_bytes(self, path: Path | str, file: str, limit: int, digest_of: "Callable[[bytes], bytes]",
                        wanted: "Callable[[bytes], bool]" = lambda digest: False) -> tuple[bytes, bytes | None]:
        """The digest of the file's bytes, and the bytes too unless the file is known unchanged
        and its digest is not `wanted` (the caller has what it needs of those bytes)."""
        info = _check(path, file, self.root, self)
        key = str(path)
        known = self.seen.get(key)
        if known is not None and known[0] == signature(info) and not wanted(known[1]):
            return known[1], None
        data = _read_checked(path, file, limit, self.root)
        digest = digest_of(data)
        # An entry whose file has changed since is left as it is: its signature cannot come back.
        if info.st_ctime_ns < time.time_ns() - RACY_NS and len(data) == info.st_size:
            self.seen[key] = (signature(info), digest)
        return digest, data


def read_text(path: Path, file: str, limit: int, within: Path | None = None) -> str:
    """The UTF-8 text of a file read by read_bytes; a file in another encoding is refused."""
    return decode_text(read_bytes(path, file, limit, within), file)


def decode_text(data: bytes, file: str) -> str:
    """The bytes read from `file` as UTF-8 text; refused, naming the line, in another encoding."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise _refuse(file, "文件不是 UTF-8 编码。", "the file is not UTF-8 encoded.",
                      "请用 UTF-8 编码保存该文件。", "save the file as UTF-8", line=line) from None


def tree_files(folder: Path, limit: int, file_prefix: str) -> dict[str, bytes]:
    """Every file under `folder` (not those whose name starts with a dot), by its path relative to
    the folder, in a stable order; each read by read_bytes within the folder."""
    folder = Path(folder)
    files = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if path.is_dir() and not path.is_symlink():
            continue
        files[relative] = read_bytes(path, f"{file_prefix}/{relative}", limit, within=folder)
    return files


# Tables ----------------------------------------------------------------------------------------

CellValue = str | int | float | bool | dt.datetime | dt.date | dt.time | dt.timedelta | None


@dataclass(frozen=True)
class Table:
    """One sheet of a spreadsheet, or a CSV file, as read by read_table.

    rows[i][j] is the cell at row i + 1, column j + 1, as the spreadsheet numbers them (the
    first row and column are 1 even where they are empty). A value is what the cell holds: text
    as written (not stripped), a number, a date or time, or None for an empty cell; a formula is
    its cached result, or its text when read with formulas=True (never evaluated). In a CSV
    file every value is text or None. Rows may differ in length; a missing cell is empty."""

    file: str               # the table as messages name it
    sheet: str | None       # the worksheet read; None for a CSV file
    rows: list[list[CellValue]]
    # For a worksheet, the type openpyxl gives each cell, in the shape of rows: "s" text, "n"
    # number (and empty), "b" true/false, "d" date, "f" formula, "e" an error value such as
    # #N/A. None for a CSV file.
    kinds: list[list[str]] | None = None

    def cells(self) -> list[list["Cell"]]:
        """The rows as cells, each value with its kind ("n" for every cell of a CSV file)."""
        kinds = self.kinds or [["n"] * len(row) for row in self.rows]
        return [[Cell(value, kind) for value, kind in zip(row, row_kinds)] for row, row_kinds in zip(self.rows, kinds)]

    def place(self, row: int, column: int | None = None) -> tuple[str, str]:
        """Where a row or cell is (Chinese, English), for a report: 工作表“分工” 第 5 行 C 列."""
        sheet_zh = f"工作表“{self.sheet}” " if self.sheet else ""
        sheet_en = f"sheet '{self.sheet}', " if self.sheet else ""
        if column is None:
            return f"{sheet_zh}第 {row} 行", f"{sheet_en}row {row}"
        letter = column_letter(column)
        return f"{sheet_zh}第 {row} 行 {letter} 列", f"{sheet_en}row {row}, column {letter}"

    def error(self, row: int | None, column: int | None, zh: str, en: str, hint_zh: str = "",
              hint_en: str = "") -> ContentError:
        """A problem at a row (or a cell) of this table, for ContentErrors: the row as the line."""
        field = (f"{self.sheet} " if self.sheet else "") + (column_letter(column) if column else "")
        return ContentError(self.file, row, field.strip(), zh, en, hint_zh, hint_en)


@dataclass(frozen=True)
class Cell:
    """A cell as the workbook holds it: its value and openpyxl's type (f: formula, e: error)."""

    value: CellValue
    kind: str = "n"

    @property
    def empty(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())


def column_letter(column: int) -> str:
    """1 -> A, 27 -> AA, as spreadsheets name columns."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_table(path: Path, sheet: str | None = None, file: str | None = None, formulas: bool = False) -> Table:
    """Read a table: an XLSX workbook's sheet (the first, or the one named `sheet`) or a CSV
    file (UTF-8, or GB18030 as Excel saves CSV on Chinese Windows). `file` is how messages name
    it (the path as given, by default); with `formulas` a formula cell holds its text, not its
    cached result.

    Every limit is applied before the content is parsed, so that no file can make the reader
    slow or exhaust memory: the file's size (MAX_TABLE_BYTES); for a workbook, the number of its
    parts and their unpacked size, counted as they unpack (a zip bomb stops at the limit), no
    DTD or entity declaration in any part (and openpyxl parses through defusedxml), the cells of
    the sheet (MAX_TABLE_CELLS); for CSV the cell count, with csv's field limit raised to the
    file's own limit and no further. No cell may hold more than MAX_CELL_CHARS characters.

    Raises Refused (a ContentErrors: exit 1) naming the file and, where known, the row; a sheet
    the workbook does not have is refused the same way, listing the sheets it has."""
    path = Path(path)
    file = file or path.as_posix()
    if path.suffix.lower() == ".csv":
        return Table(file, None, _csv_rows(_table_bytes(path, file), file))
    return _workbook_tables(_table_bytes(path, file), file, sheet, formulas, every=False)[0]


def read_workbook(path: Path, file: str | None = None, formulas: bool = False) -> list[Table]:
    """Every sheet of an XLSX workbook, in the workbook's order, read as read_table reads one
    (the cell limit counts the cells of all of them)."""
    path = Path(path)
    file = file or path.as_posix()
    if path.suffix.lower() == ".csv":
        raise _refuse(file, "这里需要 .xlsx 工作簿，不是 .csv。", "an .xlsx workbook is needed here, not a .csv file.",
                      "在 Excel 或 WPS 中另存为 .xlsx。", "save the table as .xlsx from Excel or WPS")
    return _workbook_tables(_table_bytes(path, file), file, None, formulas, every=True)


def _table_bytes(path: Path, file: str) -> bytes:
    if path.suffix.lower() not in TABLE_SUFFIXES:
        raise _refuse(file, "只能读取 .xlsx 或 .csv 表格。", "only .xlsx and .csv tables can be read.",
                      "在 Excel 或 WPS 中另存为 .xlsx。", "save the table as .xlsx from Excel or WPS")
    return read_bytes(path, file, MAX_TABLE_BYTES)


def _csv_rows(data: bytes, file: str) -> list[list[CellValue]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _refuse(file, "表格既不是 UTF-8 也不是 GB18030 编码。", "the table is neither UTF-8 nor GB18030 text.",
                      "在 Excel 中另存为“CSV UTF-8”或 .xlsx。", "save it as CSV UTF-8 or as .xlsx")
    rows: list[list[CellValue]] = []
    cells = 0
    reader = csv.reader(io.StringIO(text, newline=""))
    # csv's own limit (128 KiB) would stop a long cell with an error naming no cell; raised to the
    # file's own limit, it never does, and the length of each cell is checked below, by its place.
    previous_limit = csv.field_size_limit(MAX_TABLE_BYTES)
    try:
        for row in reader:
            cells += len(row)
            if cells > MAX_TABLE_CELLS:
                raise _too_many_cells(file, reader.line_num)
            rows.append([cell if cell else None for cell in row])
            _check_cells(rows[-1], len(rows), file)
    except csv.Error as error:
        raise _refuse(file, "CSV 格式错误（引号不成对等）。", f"the CSV does not parse: {error}.",
                      "检查该行的引号，或另存为 .xlsx。", "check the quotes on that line, or save it as .xlsx",
                      line=reader.line_num or None) from None
    finally:
        csv.field_size_limit(previous_limit)
    return rows


def _check_cells(row: list[CellValue], row_number: int, file: str, sheet: str | None = None) -> None:
    for column, value in enumerate(row, start=1):
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            table = Table(file, sheet, [])
            raise Refused(table.error(row_number, column, f"单元格超过 {MAX_CELL_CHARS:,} 个字符。",
                                      f"the cell is longer than {MAX_CELL_CHARS:,} characters.",
                                      "检查是否误粘贴了大段文字。", "check for text pasted by mistake"))


def _too_many_cells(file: str, row: int | None) -> Refused:
    return _refuse(file, f"表格超过 {MAX_TABLE_CELLS:,} 个单元格（含已用区域内的空单元格）。",
                   f"the table has more than {MAX_TABLE_CELLS:,} cells (empty ones in the used range included).",
                   "只保留分工表本身：删除多余的行、列和工作表，或复制到新的工作簿。",
                   "keep the division table alone: delete extra rows, columns and sheets, or copy it to a new workbook",
                   line=row)


# What a workbook's XML may not hold: a DTD is how entities (the billion laughs, external files)
# get in, and no spreadsheet program writes one. A cell is a <c> element, prefixed or not.
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_OVERLAP = 64  # bytes kept between chunks, so that neither pattern is missed across a boundary


def _workbook_tables(data: bytes, file: str, sheet: str | None, formulas: bool, every: bool) -> list[Table]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise _refuse(file, "这不是 .xlsx 工作簿（不是 zip 格式）。", "this is not an .xlsx workbook (not a zip file).",
                      "设了密码的工作簿和旧的 .xls 须在 Excel 或 WPS 中另存为无密码的 .xlsx。",
                      "save it from Excel or WPS as .xlsx, without a password") from None
    with archive:
        cells_by_part = _inspect_parts(archive, file)
    return _read_sheets(data, file, sheet, formulas, every, cells_by_part)


def _inspect_parts(archive: zipfile.ZipFile, file: str) -> dict[str, int]:
    """Unpack every part once, counting: refuse past the limits, or a DTD in any part; return
    the cells of each worksheet part."""
    parts = archive.infolist()
    if len(parts) > MAX_TABLE_PARTS:
        raise _refuse(file, f"工作簿包含的部件过多（{len(parts)} 个，上限 {MAX_TABLE_PARTS}）。",
                      f"the workbook has too many parts ({len(parts)}; the limit is {MAX_TABLE_PARTS}).",
                      "复制分工表到新的工作簿后再导入。", "copy the table to a new workbook and import that")
    unpacked = 0
    cells: dict[str, int] = {}
    for part in parts:
        count, tail = 0, b""
        try:
            with archive.open(part) as stream:
                while chunk := stream.read(MiB):
                    unpacked += len(chunk)
                    if unpacked > MAX_TABLE_UNPACKED_BYTES:
                        raise _refuse(file, f"工作簿解压后超过 {MAX_TABLE_UNPACKED_BYTES:,} 字节。",
                                      f"the workbook unpacks to more than {MAX_TABLE_UNPACKED_BYTES:,} bytes.",
                                      "复制分工表到新的工作簿后再导入。", "copy the table to a new workbook and import that")
                    window = tail + chunk
                    if part.filename.endswith((".xml", ".rels")) and _DECLARATION.search(window):
                        raise _refuse(file, f"工作簿的 {part.filename} 含有 XML 实体或 DTD 声明，不予读取。",
                                      f"the workbook's {part.filename} declares a DTD or XML entities; it was not read.",
                                      "在 Excel 或 WPS 中重新保存为 .xlsx。", "save it again as .xlsx from Excel or WPS")
                    # Count the cells ending in this chunk only: those in the tail were counted before.
                    count += sum(1 for found in _CELL.finditer(window) if found.end() > len(tail))
                    tail = window[-_OVERLAP:]
        except Refused:
            raise
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError, ValueError) as error:
            # A damaged part, a wrong checksum, an encrypted or oddly compressed member.
            raise _refuse(file, f"工作簿已损坏，无法读取（{part.filename}）。",
                          f"the workbook is damaged and cannot be read ({part.filename}: {type(error).__name__}).",
                          "在 Excel 或 WPS 中打开后重新保存为 .xlsx。", "open it in Excel or WPS and save it again") from None
        cells[part.filename] = count
    return cells


def _read_sheets(data: bytes, file: str, sheet: str | None, formulas: bool, every: bool,
                 cells_by_part: dict[str, int]) -> list[Table]:
    try:
        import openpyxl
        from openpyxl.xml import DEFUSEDXML
    except ImportError:
        raise MachineError("reading .xlsx needs openpyxl: install the import extra (bash setup.sh does) — "
                           "读取 .xlsx 需要 openpyxl，请运行 bash setup.sh") from None
    if not DEFUSEDXML:
        raise MachineError("reading .xlsx needs defusedxml, which openpyxl uses to refuse XML entities; "
                           "install the import extra (bash setup.sh does) and leave OPENPYXL_DEFUSEDXML unset — "
                           "读取 .xlsx 需要 defusedxml，请运行 bash setup.sh")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=not formulas, keep_links=False)
    except MemoryError:
        raise
    except Exception as error:  # whatever a malformed workbook makes openpyxl raise is the file's fault
        raise _damaged(file, error) from None
    try:
        names = workbook.sheetnames
        if not names:
            raise _refuse(file, "工作簿中没有工作表。", "the workbook has no worksheet.")
        if sheet is not None and sheet not in names:
            raise _refuse(file, f"工作簿中没有工作表“{sheet}”（有：{'、'.join(names)}）。",
                          f"the workbook has no sheet '{sheet}' (it has: {', '.join(names)}).",
                          "用 --sheet 指定其中之一。", "name one of them with --sheet")
        worksheets = workbook.worksheets if every else [workbook[sheet] if sheet is not None else workbook.worksheets[0]]
        budget = [MAX_TABLE_CELLS]  # cells left to read, across the sheets read
        tables = [_sheet_table(worksheet, file, cells_by_part, budget) for worksheet in worksheets]
    except (Refused, MemoryError):
        raise
    except Exception as error:
        raise _damaged(file, error) from None
    finally:
        workbook.close()
    return tables


def _sheet_table(worksheet, file: str, cells_by_part: dict[str, int], budget: list[int]) -> Table:
    """One worksheet read, within the cells left in `budget`: refused before it is parsed when
    its part holds more, or its declared range is larger; counted again as it is read."""
    part = str(getattr(worksheet, "_worksheet_path", "")).lstrip("/")
    declared = cells_by_part.get(part, max((n for p, n in cells_by_part.items() if p.startswith("xl/worksheets/")),
                                           default=0))
    if declared > budget[0] or (worksheet.max_row and worksheet.max_column
                                and worksheet.max_row * worksheet.max_column > budget[0]):
        raise _too_many_cells(file, None)
    rows: list[list[CellValue]] = []
    kinds: list[list[str]] = []
    for row in worksheet.iter_rows(min_row=1, min_col=1):
        budget[0] -= len(row)
        if budget[0] < 0:
            raise _too_many_cells(file, len(rows) + 1)
        rows.append([_value(cell.value) for cell in row])
        kinds.append([getattr(cell, "data_type", "n") for cell in row])
        _check_cells(rows[-1], len(rows), file, worksheet.title)
    return Table(file, worksheet.title, rows, kinds)


def _value(value) -> CellValue:
    """A cell's value as read: an empty text is an empty cell; a formula openpyxl keeps as an
    object (an array formula) is its text, never evaluated."""
    if value == "":
        return None
    if value is None or isinstance(value, (str, int, float, bool, dt.datetime, dt.date, dt.time, dt.timedelta)):
        return value
    return str(getattr(value, "text", None) or value)


def _damaged(file: str, error: Exception) -> Refused:
    from defusedxml import DefusedXmlException

    cause: BaseException | None = error
    while cause is not None and not isinstance(cause, DefusedXmlException):
        cause = cause.__cause__ or cause.__context__  # openpyxl wraps what the parser raised
    if cause is not None:
        return _refuse(file, "工作簿含有 XML 实体或 DTD 声明，不予读取。",
                       "the workbook declares a DTD or XML entities; it was not read.",
                       "在 Excel 或 WPS 中重新保存为 .xlsx。", "save it again as .xlsx from Excel or WPS")
    return _refuse(file, "工作簿已损坏或不是 Excel 工作簿，无法读取。",
                   f"the workbook is damaged or not an Excel workbook ({type(error).__name__}).",
                   "在 Excel 或 WPS 中打开后重新保存为 .xlsx。", "open it in Excel or WPS and save it again")
