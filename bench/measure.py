#!/usr/bin/env python3
"""measure.py - time one benchmark scenario of bench/run, several times.

  measure.py [--runs R] [--warmup W] [--setup SHELL] [--stdin FILE] [--cwd DIR]
             [--timeout S] -- CMD ARG...

Runs SHELL (untimed, with bash, in DIR) before every run, W untimed runs of CMD
first, then R timed runs. Each run's wall time is taken around fork and wait;
its peak resident set is what GNU time (/usr/bin/time -f %M) reports for
CMD alone; without it, ru_maxrss from wait4(2), which counts the forked
Python (about 15 MB) as well. CMD's stdout goes to /dev/null, its stderr
is kept. Prints one line of JSON: times (seconds), rss_kb (the largest peak),
exits, timeout, stderr (the end of the last run's stderr).
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time


GNU_TIME = "/usr/bin/time"


def run_once(cmd, cwd, stdin_path, timeout):
    err = tempfile.TemporaryFile()
    rssf = None
    if os.access(GNU_TIME, os.X_OK):
        fd, rssf = tempfile.mkstemp(prefix="bench-rss.")
        os.close(fd)
        cmd = [GNU_TIME, "-f", "%M", "-o", rssf, *cmd]
    fin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    killed = []
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdin=fin, stdout=subprocess.DEVNULL, stderr=err,
                         start_new_session=True)

    def kill():
        killed.append(1)
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    timer = threading.Timer(timeout, kill)
    timer.start()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    timer.cancel()
    p.returncode = os.waitstatus_to_exitcode(status)
    if fin is not subprocess.DEVNULL:
        fin.close()
    err.seek(0)
    text = err.read().decode("utf-8", "replace")
    err.close()
    maxrss = ru.ru_maxrss
    if rssf:
        with open(rssf) as f:
            last = [l for l in f.read().split() if l.isdigit()]
        os.unlink(rssf)
        if last:
            maxrss = int(last[-1])
    return wall, maxrss, p.returncode, bool(killed), text


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=0)
    ap.add_argument("--setup")
    ap.add_argument("--stdin")
    ap.add_argument("--cwd", default=".")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    if not cmd:
        ap.error("no command")
    times, exits, rss, stderr, timed_out = [], [], 0, "", False
    for i in range(a.warmup + a.runs):
        if a.setup:
            subprocess.run(["bash", "-c", a.setup], cwd=a.cwd, check=True)
        wall, maxrss, rc, killed, stderr = run_once(cmd, a.cwd, a.stdin, a.timeout)
        if killed:
            timed_out = True
            times.append(wall)
            exits.append(rc)
            break
        if i < a.warmup:
            # a command that is not there yet is not worth timing
            if "not implemented" in stderr:
                break
            continue
        times.append(wall)
        exits.append(rc)
        rss = max(rss, maxrss)
        if "not implemented" in stderr:
            break
    print(json.dumps({"times": times, "rss_kb": rss, "exits": exits, "timeout": timed_out,
                      "stderr": stderr[-2000:]}, ensure_ascii=False))


if __name__ == "__main__":
    sys.exit(main())
