"""Converting office files with LibreOffice headless (legacy Word in, PDF out), safely.

Every conversion runs ``soffice --headless --convert-to`` in a fresh temporary folder with its
own user profile (``-env:UserInstallation``), so conversions running side by side never hand
their work to one another's LibreOffice instance; the folder is removed afterwards.  The profile
starts with macros disabled and links never updated.  LibreOffice runs in its own process group
and the whole group is killed when the time limit passes (or anything interrupts the wait); its
address space is bounded by :data:`xxgk.limits.OFFICE_MEMORY_BYTES`, input and output sizes by
:data:`xxgk.limits.MAX_INPUT_BYTES`.

Fonts a document names but the machine lacks (the GB/T 9704 faces 仿宋_GB2312, 方正小标宋简体, …)
can be mapped to installed ones for the conversion only, through a fontconfig file of its own.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from . import limits
from .errors import UnreadableInput, XxgkError

#: names the LibreOffice launcher is installed under (Debian: soffice; some builds: libreoffice)
_LAUNCHERS = ("soffice", "libreoffice")

#: the profile every conversion starts from: no macros, no link updates, no remote referers
_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

_SYSTEM_FONTCONFIG = "/etc/fonts/fonts.conf"


class OfficeError(UnreadableInput):
    """LibreOffice is missing, or a conversion failed or ran out of time.

    ``zh`` and ``en`` are the two halves of the one-line message, for callers that name the file
    kind in front of them.
    """

    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} ({en})")
        self.zh, self.en = zh, en


def soffice() -> str | None:
    """The LibreOffice launcher on PATH, or None."""
    for name in _LAUNCHERS:
        path = shutil.which(name)
        if path:
            return path
    return None


def available() -> bool:
    """Whether LibreOffice is installed (conversions can run)."""
    return soffice() is not None


def _fontconfig(aliases: Mapping[str, Sequence[str]]) -> str:
    """A fontconfig file: the system configuration plus ``family -> preferred installed families``."""
    lines = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
        "<fontconfig>",
        f'  <include ignore_missing="yes">{escape(os.environ.get("FONTCONFIG_FILE", _SYSTEM_FONTCONFIG))}</include>',
    ]
    for family, preferred in aliases.items():
        prefer = "".join(f"<family>{escape(p)}</family>" for p in preferred)
        lines.append(f'  <alias binding="same"><family>{escape(family)}</family><prefer>{prefer}</prefer></alias>')
    lines.append("</fontconfig>")
    return "\n".join(lines) + "\n"


def _bound_memory() -> None:
    """Runs in the child before LibreOffice starts: lower (never raise) its address-space limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    bound = limits.OFFICE_MEMORY_BYTES
    if hard != resource.RLIM_INFINITY:
        bound = min(bound, hard)
    if soft == resource.RLIM_INFINITY or soft > bound:
        resource.setrlimit(resource.RLIMIT_AS, (bound, hard))


def _kill_group(proc: subprocess.Popen) -> None:
    """Kill LibreOffice and everything it started (its own process group), then reap it.

    Only while the launcher is not yet reaped: its group id cannot have been reused then.
    """
    if proc.returncode is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    try:
        proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - a killed process that does not die
        pass


def convert(
    data: bytes,
    source_suffix: str,
    target: str,
    timeout: float | None = None,
    *,
    fonts: Mapping[str, Sequence[str]] | None = None,
) -> bytes:
    """Convert ``data`` (a file whose extension would be ``source_suffix``, e.g. ``".doc"``) to
    ``target``, LibreOffice's ``--convert-to`` argument (``"pdf"``, ``"docx"``, or with a filter,
    ``"docx:MS Word 2007 XML"``), and return the converted file's bytes.

    ``timeout`` defaults to :data:`xxgk.limits.OFFICE_SECONDS`; ``fonts`` maps font families a
    document names to installed families to use in their place.  Raises :class:`OfficeError`
    (an :class:`~xxgk.errors.UnreadableInput`) with a one-line reason when LibreOffice is not
    installed, the input is too large, or the conversion fails or times out.
    """
    if len(data) > limits.MAX_INPUT_BYTES:
        raise OfficeError(f"文件过大，上限 {limits.MAX_INPUT_BYTES // (1024 * 1024)} MB", "file too large")
    launcher = soffice()
    if launcher is None:
        raise OfficeError(
            "未安装 LibreOffice，无法转换（apt-get install libreoffice-writer-nogui）", "LibreOffice is not installed"
        )
    timeout = limits.OFFICE_SECONDS if timeout is None else timeout
    suffix = "." + source_suffix.lstrip(".").lower()
    extension = target.split(":", 1)[0].strip().lower()
    if not suffix[1:].isalnum() or not extension.isalnum():
        raise XxgkError(f"无效的转换格式：{source_suffix} → {target} (bad conversion formats)")
    with tempfile.TemporaryDirectory(prefix="xxgk-office-") as tmp:
        work = Path(tmp)
        source = work / f"input{suffix}"
        source.write_bytes(data)
        out_dir = work / "out"
        out_dir.mkdir()
        profile = work / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE_SETTINGS, encoding="utf-8")
        env = dict(os.environ, HOME=str(work), TMPDIR=str(work))
        if fonts:
            conf = work / "fonts.conf"
            conf.write_text(_fontconfig(fonts), encoding="utf-8")
            env["FONTCONFIG_FILE"] = str(conf)
        args = [
            launcher,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            target,
            "--outdir",
            str(out_dir),
            str(source),
        ]
        try:
            proc = subprocess.Popen(
                args,
                cwd=work,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,  # its own process group, killed as a whole
                preexec_fn=_bound_memory,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise OfficeError("无法启动 LibreOffice", f"cannot start LibreOffice: {reason}") from None
        try:
            _, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise OfficeError(f"LibreOffice 转换超时（{timeout:g} 秒）", "conversion timed out") from None
        except BaseException:  # interrupted (the command line's own time limit, Ctrl-C): leave nothing running
            _kill_group(proc)
            raise
        result = out_dir / f"input.{extension}"
        if not result.is_file():
            reason = _reason(stderr)
            raise OfficeError("LibreOffice 无法转换此文件，文件可能已损坏", "conversion failed" + (f": {reason}" if reason else ""))
        size = result.stat().st_size
        if size == 0:
            raise OfficeError("LibreOffice 转换结果为空，文件可能已损坏", "conversion produced an empty file")
        if size > limits.MAX_INPUT_BYTES:
            raise OfficeError(f"转换结果过大，上限 {limits.MAX_INPUT_BYTES // (1024 * 1024)} MB", "converted file too large")
        return result.read_bytes()


def _reason(stderr: bytes) -> str:
    """LibreOffice's own error line, if it printed one (kept short, one line)."""
    for line in stderr.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line.lower().startswith("error"):
            return line[:200]
    return ""
