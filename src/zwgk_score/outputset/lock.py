"""The output lock (输出目录锁): one run at a time per output folder.

The lock is a file beside the output folder, ``.<folder>.zwgk-lock``, held
with ``flock`` while a run writes its outputs and holding the holder's pid and
start time for the message shown to a second run.  The kernel drops the lock
when its holder dies (even by ``SIGKILL``), so a lock file left by a killed
run is simply taken over by the next run.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from pathlib import Path

from zwgk_score.errors import OutputError

LOCK_SUFFIX = ".zwgk-lock"


def lock_path(target: Path) -> Path:
    """Where the lock of output folder ``target`` lives."""
    return target.parent / f".{target.name}{LOCK_SUFFIX}"


def _readable_time(stamp: float) -> str:
    t = time.localtime(stamp)
    return f"{t.tm_year}年{t.tm_mon}月{t.tm_mday}日 {t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}"


def _holder(fd: int) -> str:
    try:
        data = json.loads(os.pread(fd, 4096, 0).decode("utf-8") or "{}")
        return f"进程 {int(data['pid'])}，开始于 {_readable_time(float(data['started']))}"
    except (OSError, ValueError, KeyError, TypeError):
        return "进程未知"


class OutputLock:
    """An exclusive, non-blocking lock on output folder ``target``.

    Raises:
        OutputError: another live run holds the lock (pid and start time named),
            or the lock file cannot be created.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        self.path = lock_path(target)
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise :class:`OutputError`."""
        for _ in range(10):  # the file may be replaced between open and flock: retry
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise OutputError(
                    f"无法创建输出目录（锁文件）：{exc.strerror}",
                    file=self.path,
                    hint="检查输出目录的上级目录是否存在、是否可写",
                ) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = _holder(fd)
                os.close(fd)
                raise OutputError(
                    f"另一次运行正在写这个输出目录（{holder}），本次运行未写任何文件",
                    file=self.target,
                    hint=f"等那次运行结束后再运行，或换一个输出目录（-o）；锁文件 {self.path}",
                ) from None
            try:
                now, mine = os.stat(self.path), os.fstat(fd)
                same = (now.st_dev, now.st_ino) == (mine.st_dev, mine.st_ino)
            except FileNotFoundError:
                same = False
            if not same:  # the previous holder removed the file after we opened it
                os.close(fd)
                continue
            record = json.dumps({"pid": os.getpid(), "started": time.time()}).encode()
            os.ftruncate(fd, 0)
            os.pwrite(fd, record, 0)
            self._fd = fd
            return
        raise OutputError("无法取得输出目录的锁", file=self.path, hint="稍后重试")

    def release(self) -> None:
        """Remove the lock file (if it is still ours) and drop the lock."""
        if self._fd is None:
            return
        try:
            now, mine = os.stat(self.path), os.fstat(self._fd)
            if (now.st_dev, now.st_ino) == (mine.st_dev, mine.st_ino):
                os.unlink(self.path)
        except OSError:
            pass
        os.close(self._fd)
        self._fd = None
