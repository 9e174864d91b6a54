"""The command line run inside the test process, as a subprocess would see it.

A subprocess costs a Python start and the imports (0.1-0.5 s here); most CLI tests look only at
what a command prints and its exit code, for which `askurbact.cli.main` in this process is
the same program. Its world is set up as a fresh process would have it, and put back after:
arguments as the OS gives them (bytes decoded as Python decodes argv), the environment, the
working directory, stdin from bytes (or empty), stdout and stderr into bytes with the
encodings a pipe gets, the SIGTERM handler main sets, and an exception main lets through
printed as the interpreter would (a traceback, exit 1). Tests about processes themselves
(signals, terminals, a reader that goes away, two processes on one chat) start real ones.
"""

from __future__ import annotations

import io
import os
import signal
import sys
import traceback


def run_main(args, env: dict[str, str], cwd, stdin: bytes | None = None) -> tuple[int, bytes, bytes]:
    """(exit code, stdout, stderr) of `askurbact ARGS` run in this process."""
    from askurbact.cli import main

    argv = [os.fsdecode(a) if isinstance(a, bytes) else str(a) for a in args]
    out, err = io.BytesIO(), io.BytesIO()
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    saved_term = signal.getsignal(signal.SIGTERM)
    # Kept in names: a wrapper dropped closes its buffer.
    streams = (io.TextIOWrapper(io.BytesIO(stdin or b""), encoding="utf-8"),
               io.TextIOWrapper(out, encoding="utf-8", write_through=True),
               io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace", write_through=True))
    sys.stdin, sys.stdout, sys.stderr = streams
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's --help and --version
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if exc.code is not None and not isinstance(exc.code, int):
            print(exc.code, file=sys.stderr)
    except BaseException:  # as the interpreter reports what main let through
        traceback.print_exc()
        code = 1
    finally:
        for stream in streams[1:]:
            stream.flush()
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        signal.signal(signal.SIGTERM, saved_term)
    result = code, out.getvalue(), err.getvalue()
    for stream in streams:
        stream.detach()
    return result
