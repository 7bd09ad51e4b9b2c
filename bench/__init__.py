"""`make bench`: speed, size and load of the diary against this machine's own ceiling.

    .venv/bin/python -m bench.run            # the whole benchmark (a few minutes)
    .venv/bin/python -m bench.run --smoke    # the Python-side measurements on a tiny diary (seconds)

Modules: ``data`` builds the benchmark diaries, ``measure`` counts queries, times
pages in-process and counts bytes sent, ``serve`` runs gunicorn and wrk, ``load``
is the 64-person load test, ``pdf`` times the clinic report, ``results`` writes
``bench/results.md`` and ``bench/results.json``, ``run`` ties them together.
"""
