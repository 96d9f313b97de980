"""What the benchmarks of bench/ share: errors, progress, finding ../shared, and timing
child processes without polling."""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class BenchError(Exception):
    """A condition that ends the benchmark; main prints it in one line and exits 2."""


def say(msg):
    """Progress and errors on stderr, after the name of the bench that runs."""
    print(os.path.basename(sys.argv[0]) + ": " + msg, file=sys.stderr, flush=True)


def find_shared(option, needs):
    """The shared folder (with bench/benchlib.py): --shared, $NSEARCH_SHARED or ../shared
    beside the repository; else BenchError saying what the bench `needs` from it."""
    cands = [option, os.environ.get("NSEARCH_SHARED"), os.path.join(os.path.dirname(REPO), "shared")]
    for c in cands:
        if c and os.path.isfile(os.path.join(c, "bench", "benchlib.py")):
            return os.path.abspath(c)
    raise BenchError("needs ../shared (%s) and found no bench/benchlib.py in: %s; pass --shared DIR "
                     "or set NSEARCH_SHARED" % (needs, ", ".join(c for c in cands if c)))


def load_queries(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and parts[1]:
                out.append((parts[0], parts[1]))
    if not out:
        raise BenchError("no KIND<TAB>QUERY lines in %s" % path)
    return out


def remove(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.remove(path)


def run_waited(cmd, stdout, timeout):
    """benchlib's run_timed (under GNU /usr/bin/time -v), but waited for without polling.

    run_timed waits with subprocess's timeout, which polls with sleeps that double up to
    50 ms: a batch that ends after 132 ms was timed at 166 ms (median of 7).  Here the
    wait blocks, and a timer kills the process group at `timeout`.  (Peak RSS stays time's:
    wait4() on a child forked from this Python counts Python's pages before the exec.)"""
    fd, tfile = tempfile.mkstemp(prefix="bench-time-")
    os.close(fd)
    t0 = time.perf_counter()
    p = subprocess.Popen(["/usr/bin/time", "-v", "-o", tfile] + list(cmd), stdout=stdout,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    killed = []

    def kill():
        killed.append(True)
        os.killpg(p.pid, 9)

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        p.wait()
    finally:
        timer.cancel()
    info = {"wall": time.perf_counter() - t0, "rc": p.returncode, "timed_out": bool(killed)}
    info.update(read_time_report(tfile))
    return info


def read_time_report(path):
    """The figures of GNU `/usr/bin/time -v -o PATH`, then removes PATH: user and sys seconds,
    maxrss_kb, and signal (the signal that killed the command, or None); None where absent."""
    out = {"user": None, "sys": None, "maxrss_kb": None, "signal": None}
    with open(path) as f:
        for line in f:
            k, _, v = line.strip().rpartition(": ")
            if k == "User time (seconds)":
                out["user"] = float(v)
            elif k == "System time (seconds)":
                out["sys"] = float(v)
            elif k == "Maximum resident set size (kbytes)":
                out["maxrss_kb"] = int(v)
            elif k == "Command terminated by signal":
                out["signal"] = int(v)
    os.remove(path)
    return out


class FreshTimer:
    """Wall seconds of a fresh process, start to exit, and its stdout, waited for without
    polling.

    benchlib's time_process runs subprocess.run(..., timeout=120), whose wait after the
    output's end polls with sleeps from 0.5 ms, doubling: `true` was timed at 1.77 ms
    (median of 200) against 0.66 ms waited for here, and every process gained 0.5 ms or
    more in steps.  Here the read and the wait block; one watchdog thread, started once,
    kills the process group of a run that outlives `timeout` (a thread per run would be
    timed with it)."""

    def __init__(self, timeout=120):
        self.timeout = timeout
        self.lock = threading.Lock()
        self.current = None  # (Popen, deadline)
        threading.Thread(target=self._watch, daemon=True).start()

    def _watch(self):
        while True:
            time.sleep(1)
            with self.lock:
                if self.current and time.monotonic() > self.current[1]:
                    try:
                        os.killpg(self.current[0].pid, 9)
                    except ProcessLookupError:
                        pass

    def run(self, cmd):
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
        with self.lock:
            self.current = (p, time.monotonic() + self.timeout)
        out, _ = p.communicate()
        secs = time.perf_counter() - t0
        with self.lock:
            self.current = None
        return secs, p.returncode, out


def level_page_cache(programs):
    """Evicts every executable and shared library of `programs` from the page cache and reads
    it back once, so that all tools start from the same state.

    How an executable's pages came into the page cache changes its start: two byte-identical
    copies of nsearch made minutes apart differed by 0.12-0.16 ms a query (the newer faster),
    the linker's output ran 0.12 ms slower than a copy of it, and quest ran 0.17 ms faster with
    fresh copies of its libraries.  After this, a build and its copy time the same (-0.009 ms
    median, 10 queries x 9 paired).  Files that a running process maps (libc) keep their
    pages: DONTNEED leaves mapped pages alone, and every tool shares those."""
    files = set()
    for prog in programs:
        path = shutil.which(prog) or prog
        if not os.path.isfile(path):
            continue
        files.add(os.path.realpath(path))
        try:
            out = subprocess.run(["ldd", path], capture_output=True, text=True, timeout=30).stdout
        except (OSError, subprocess.SubprocessError):
            continue
        for line in out.splitlines():
            parts = line.split("=>")
            lib = (parts[1] if len(parts) > 1 else parts[0]).strip().split(" (")[0].strip()
            if lib.startswith("/") and os.path.isfile(lib):
                files.add(os.path.realpath(lib))
    for f in sorted(files):
        try:
            fd = os.open(f, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            while os.read(fd, 1 << 20):
                pass
        finally:
            os.close(fd)
    return len(files)


def ratio(a, b):
    """a / b, or None when either is missing or b is 0."""
    return a / b if a is not None and b else None


def median(xs):
    """The median of the numbers in xs that are not None; None when there are none."""
    xs = sorted(x for x in xs if x is not None)
    n = len(xs)
    if not n:
        return None
    return xs[n // 2] if n % 2 else 0.5 * (xs[n // 2 - 1] + xs[n // 2])


def percentile(xs, p):
    """Nearest rank."""
    s = sorted(xs)
    return s[max(0, min(len(s) - 1, int(round(p / 100.0 * len(s) + 0.5)) - 1))]


def free_port():
    """A free TCP port of 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
