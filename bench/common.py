"""Small helpers the benchmarks share (each script runs from this folder, so `from common import`)."""
import resource
import socket


def peak_rss_mb() -> float:
    """This process' peak RSS (VmHWM: unlike ru_maxrss it does not carry the parent's over exec)."""
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(values, p):
    """The p-th percentile of `values` (nearest rank)."""
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def init_worker():
    """A process pool's initializer: each process opens its own database connection."""
    from django.db import connections

    connections.close_all()
