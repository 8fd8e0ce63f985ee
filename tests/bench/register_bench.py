#!/usr/bin/python3
"""Import time and lookups per second of the local register (core/register_store), next to
the sqlite3 shell on the same file.

Usage: tests/bench/register_bench.py [--rows N] [--lookups K] [--batch B] [--build DIR]
                                     [--work DIR] [--keep]

1. Generates a register CSV of N rows (default 10,000,000; fixed seed) in a temporary folder:
   valid IMEIs (Luhn) on real and random TACs, ~2 % of them reported a second time by another
   party (so some identifiers have two records), statuses, dates, six sources, references, notes.
2. Times `dfx register import FILE --register-db DB` (one transaction, the whole file).
   At the end, times `dfx check --format json` over the K identifiers (one per line on stdin).
3. Writes K (default 100,000) lookup keys, half of them identifiers sampled from the register and
   half fresh random valid IMEIs (on the same TACs, so some of those are in the register too),
   shuffled, and measures:
   - store:   <build>/bin/dfx_register_lookup_bench DB KEYS B: RegisterStore::lookup, the batch
              lookup the built-in sqlite register uses (one prepared statement, one read
              transaction per batch of B keys, default 1000); warm page cache, second pass timed;
   - sqlite3 (statements): the sqlite3 shell reading a .sql file of K SELECT statements, one per
              key, the same SELECT the store runs, output to /dev/null (the shell prepares each
              statement: this is what a script driving the shell costs);
   - sqlite3 (join):  the sqlite3 shell importing the K keys into a temporary table and running
              one SELECT ... JOIN on the primary key (set-based: the best the shell can do);
   both shell runs are timed as whole processes, best of 3, after a warm-up run.
Prints the figures. Needs the `sqlite3` shell (Debian package sqlite3).
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

from luhn import luhn_digit

TACS = ["35381208", "35539407", "35332007", "35676300", "35214807", "35255806", "35362107",
        "35267708", "35753708", "86798102", "86745102", "86458702", "35730608", "35675904"]
SOURCES = ["Metropolitan Police", "Greater Manchester Police", "Vodafone UK", "EE",
           "Owner report", "Acme Mobile Cover (insurer)"]
STATUSES = ["stolen", "stolen", "stolen", "lost", "lost", "blocked", "blocked", "fraud", "other"]
SELECT = ("SELECT status, reported_at, source, reference, notes FROM register_entry "
          "WHERE kind = 'imei' AND identifier = '{}';\n")


def random_imei(rng):
    tac = rng.choice(TACS) if rng.random() < 0.5 else "%08d" % rng.randrange(10 ** 8)
    body = tac + "%06d" % rng.randrange(10 ** 6)
    return body + luhn_digit(body)


def generate(path, rows, lookups, rng):
    """Writes the register CSV; returns a sample of its identifiers (for present-key lookups)."""
    sample = []
    recent = []
    with open(path, "w", buffering=1 << 20) as out:
        out.write("identifier,status,reported_at,source,reference,notes\n")
        for n in range(rows):
            if recent and rng.random() < 0.02:
                imei = rng.choice(recent)  # a second report of a recent identifier
            else:
                imei = random_imei(rng)
                if len(recent) < 1000:
                    recent.append(imei)
                else:
                    recent[n % 1000] = imei
            source = rng.choice(SOURCES)
            status = rng.choice(STATUSES)
            date = "%d-%02d-%02d" % (rng.choice((2022, 2023, 2024)), rng.randint(1, 12),
                                     rng.randint(1, 28))
            out.write("%s,%s,%s,%s,REF-%09d,bench row %d\n" % (imei, status, date, source, n, n))
            # reservoir sample of identifiers for the lookups
            if len(sample) < lookups:
                sample.append(imei)
            else:
                j = rng.randrange(n + 1)
                if j < lookups:
                    sample[j] = imei
    return sample


def timed(cmd, **kw):
    t0 = time.perf_counter()
    r = subprocess.run(cmd, **kw)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit("failed (%d): %s\n%s" % (r.returncode, " ".join(cmd),
                                         (r.stderr or b"").decode(errors="replace")))
    return dt, r


def best_of(n, fn):
    fn()  # warm-up
    return min(fn() for _ in range(n))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--lookups", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--build", default=os.path.join(os.path.dirname(__file__), "..", "..", "build"))
    ap.add_argument("--work", help="folder for the generated files (default: a temporary one)")
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    a = ap.parse_args()

    dfx = os.path.join(a.build, "bin", "dfx")
    bench = os.path.join(a.build, "bin", "dfx_register_lookup_bench")
    for exe in (dfx, bench):
        if not os.access(exe, os.X_OK):
            sys.exit("%s not found: build it first (cmake --build %s --target dfx "
                     "dfx_register_lookup_bench)" % (exe, a.build))
    sqlite3 = shutil.which("sqlite3")
    if not sqlite3:
        sys.exit("the sqlite3 shell is missing (Debian package sqlite3)")

    work = a.work or tempfile.mkdtemp(prefix="dfx-register-bench-")
    os.makedirs(work, exist_ok=True)
    csv = os.path.join(work, "register.csv")
    db = os.path.join(work, "register.sqlite")
    keys = os.path.join(work, "keys.tsv")
    sql = os.path.join(work, "lookups.sql")
    join_sql = os.path.join(work, "join.sql")
    try:
        rng = random.Random(4242)
        t0 = time.perf_counter()
        sample = generate(csv, a.rows, a.lookups // 2, rng)
        gen_s = time.perf_counter() - t0
        size = os.path.getsize(csv)
        print("generated %d rows (%.0f MiB) in %.1f s" % (a.rows, size / 2 ** 20, gen_s))

        for f in (db, db + "-wal", db + "-shm"):
            if os.path.exists(f):
                os.remove(f)
        imp_s, r = timed([dfx, "register", "import", csv, "--register-db", db],
                         capture_output=True)
        print("dfx register import: %.1f s, %.0f rows/s; %s" %
              (imp_s, a.rows / imp_s, r.stdout.decode().strip()))
        print("register file: %.0f MiB" % (os.path.getsize(db) / 2 ** 20))

        absent = [random_imei(rng) for _ in range(a.lookups - len(sample))]
        lookup_ids = sample + absent
        rng.shuffle(lookup_ids)
        with open(keys, "w") as f:
            f.writelines("imei\t%s\n" % i for i in lookup_ids)
        with open(sql, "w") as f:
            f.writelines(SELECT.format(i) for i in lookup_ids)
        with open(join_sql, "w") as f:
            f.write("CREATE TEMP TABLE q (kind TEXT, identifier TEXT);\n"
                    ".mode tabs\n.import %s q\n"
                    "SELECT q.identifier, e.status, e.reported_at, e.source, e.reference, e.notes "
                    "FROM q JOIN register_entry e ON e.kind = q.kind AND e.identifier = "
                    "q.identifier;\n" % keys)

        _, r = timed([bench, db, keys, str(a.batch)], capture_output=True)
        fields = r.stdout.decode().split()
        figures = dict(zip(fields[0::2], fields[1::2]))
        store_rate = float(figures["lookups_per_s"])
        print("store batch lookup (batch %d): %d keys, %s found, %s records, %.0f lookups/s" %
              (a.batch, len(lookup_ids), figures["found"], figures["records"], store_rate))

        def shell(script):
            def run():
                with open(script) as stdin:
                    dt, _ = timed([sqlite3, db], stdin=stdin, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE)
                return dt
            return run

        stmt_s = best_of(3, shell(sql))
        join_s = best_of(3, shell(join_sql))
        print("sqlite3 shell, %d SELECT statements: %.2f s, %.0f lookups/s" %
              (len(lookup_ids), stmt_s, len(lookup_ids) / stmt_s))
        print("sqlite3 shell, temp table + JOIN:     %.2f s, %.0f lookups/s" %
              (join_s, len(lookup_ids) / join_s))
        print("store / shell statements: %.1fx; store / shell join: %.1fx" %
              (store_rate / (len(lookup_ids) / stmt_s), store_rate / (len(lookup_ids) / join_s)))

        # The whole path a depot uses: dfx check --format json over the K identifiers on stdin
        # (normalization, the plugin through the C ABI, verdicts, JSON), best of 3 after a warm-up.
        ids_txt = os.path.join(work, "ids.txt")
        with open(ids_txt, "w") as f:
            f.writelines("%s\n" % i for i in lookup_ids)

        def check():
            with open(ids_txt) as stdin:
                t0 = time.perf_counter()
                r = subprocess.run([dfx, "check", "--format", "json", "--register-db", db],
                                   stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                dt = time.perf_counter() - t0
            if r.returncode not in (0, 5, 6):  # all clear, something flagged, something unknown
                sys.exit("dfx check failed (%d): %s" % (r.returncode, r.stderr.decode(errors="replace")))
            return dt
        check()
        check_s = best_of(3, check)
        print("dfx check --format json, %d identifiers: %.2f s, %.0f identifiers/s" %
              (len(lookup_ids), check_s, len(lookup_ids) / check_s))
    finally:
        if a.keep or a.work:
            print("files kept in %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
