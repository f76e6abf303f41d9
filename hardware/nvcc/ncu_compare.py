#!/usr/bin/env python3
"""ncu_compare.py: the simulator's memory-traffic counters beside a GPU's.

    ncu_compare.py --metrics                 the Nsight Compute metrics to ask
                                             for, comma-separated
    ncu_compare.py SIMULATOR.tsv NCU.csv     the table; exit 1 if a GPU count
                                             differs from the simulator's

SIMULATOR.tsv is what hardware/build/counter_cases prints (kernel, counter,
expected, simulator); NCU.csv what `ncu --csv --page details
--kernel-name-base function --print-units base --metrics ...` prints for the
nvcc build of the same program (hardware/nvcc/ncu_counters.sh runs both).
Each of the simulator's counters is the sum of the Nsight Compute metrics
named below (cudasim/README.md, "Memory-traffic counters").
"""
import csv
import sys

# simulator counter -> the Nsight Compute metrics whose sum it is
METRICS = {
    "global_load_requests": ["l1tex__t_requests_pipe_lsu_mem_global_op_ld.sum"],
    "global_load_sectors": ["l1tex__t_sectors_pipe_lsu_mem_global_op_ld.sum"],
    "global_store_requests": ["l1tex__t_requests_pipe_lsu_mem_global_op_st.sum"],
    "global_store_sectors": ["l1tex__t_sectors_pipe_lsu_mem_global_op_st.sum"],
    # atomicAdd whose result is unused compiles to RED, a used one to ATOM
    "global_atomic_requests": [
        "l1tex__t_requests_pipe_lsu_mem_global_op_atom.sum",
        "l1tex__t_requests_pipe_lsu_mem_global_op_red.sum",
    ],
    "shared_load_requests": ["smsp__inst_executed_op_shared_ld.sum"],
    "shared_load_wavefronts": [
        "l1tex__data_pipe_lsu_wavefronts_mem_shared_op_ld.sum"
    ],
    "shared_load_bank_conflicts": [
        "l1tex__data_bank_conflicts_pipe_lsu_mem_shared_op_ld.sum"
    ],
    "shared_store_requests": ["smsp__inst_executed_op_shared_st.sum"],
    "shared_store_wavefronts": [
        "l1tex__data_pipe_lsu_wavefronts_mem_shared_op_st.sum"
    ],
    "shared_store_bank_conflicts": [
        "l1tex__data_bank_conflicts_pipe_lsu_mem_shared_op_st.sum"
    ],
    "divergent_branches": ["smsp__sass_branch_targets_threads_divergent.sum"],
}


def read_simulator(path):
    """[(kernel, counter, expected, simulator)] in the file's order."""
    rows = []
    with open(path, newline="") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 4 or parts[0] == "kernel":
                continue
            rows.append(tuple(parts))
    if not rows:
        sys.exit(f"ncu_compare: no counts in {path}")
    return rows


def read_ncu(path):
    """{(kernel, metric): value}, summed over the launches of a kernel.

    The file also holds the program's own output and ncu's ==PROF== lines:
    the CSV starts at the header line that names "Kernel Name"."""
    with open(path, newline="") as f:
        lines = f.read().splitlines()
    start = next((i for i, l in enumerate(lines)
                  if l.startswith('"') and '"Kernel Name"' in l), None)
    if start is None:
        sys.exit(f"ncu_compare: no Nsight Compute table in {path} "
                 "(did ncu run? is profiling allowed for this user?)")
    table = csv.DictReader(l for l in lines[start:] if l.startswith('"'))
    values = {}
    for row in table:
        kernel = row.get("Kernel Name", "").split("(")[0].strip()
        metric = row.get("Metric Name", "")
        text = row.get("Metric Value", "").replace(",", "")
        try:
            value = float(text)
        except ValueError:
            continue
        values[(kernel, metric)] = values.get((kernel, metric), 0.0) + value
    return values


def gpu_count(values, kernel, counter):
    """The GPU's count for a simulator counter, or None if not measured."""
    names = METRICS.get(counter, [])
    found = [values[(kernel, m)] for m in names if (kernel, m) in values]
    return int(round(sum(found))) if found else None


def main(argv):
    if argv[1:] == ["--metrics"]:
        print(",".join(m for ms in METRICS.values() for m in ms))
        return 0
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    sim = read_simulator(argv[1])
    values = read_ncu(argv[2])
    width = max(len(k) for k, *_ in sim)
    print(f"{'kernel':<{width}}  {'counter':<28} {'expected':>9} "
          f"{'simulator':>9} {'GPU':>9}")
    differ = missing = 0
    for kernel, counter, expected, simulated in sim:
        gpu = gpu_count(values, kernel, counter)
        mark = ""
        if gpu is None:
            missing += 1
            mark = "  (not measured)"
        elif str(gpu) != simulated:
            differ += 1
            mark = "  DIFFERS"
        print(f"{kernel:<{width}}  {counter:<28} {expected:>9} "
              f"{simulated:>9} {'-' if gpu is None else gpu:>9}{mark}")
    print(f"{len(sim) - differ - missing} of {len(sim)} counts equal on the "
          f"GPU, {differ} differ, {missing} not measured")
    return 1 if differ or missing == len(sim) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
