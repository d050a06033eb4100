#!/usr/bin/env python3
"""depgraph.py - the file-level dependency graph of a build of docctl.

Reads the object files of a build (build/src/**/*.o) with `nm`: a file A
depends on a file B when A's object uses (leaves undefined) a symbol B's
object defines. Prints

  - the graph: each source file and the files it uses;
  - its cycles: strongly connected components of more than one file (two
    files that call each other, directly or through others);
  - layer violations: a file under src/util uses a symbol defined under
    src/lib or src/cli, or a file under src/lib uses one under src/cli.

Usage: scripts/depgraph.py [BUILD_DIR] [--quiet] [--check]
  BUILD_DIR  the meson build folder (default: build)
  --quiet    print only the cycles and the violations
  --check    exit 1 when there is a cycle or a layer violation
Exit status: 0; 1 with --check when a cycle or a violation is found; 2 when
the build cannot be read (no object files, no nm).

Only the standard library and binutils' nm are needed.
"""

import json
import os
import subprocess
import sys

# Lower layers must not use higher ones: util < lib < cli.
LAYERS = [("src/util/", 0), ("src/lib/", 1), ("src/cli/", 2)]
LAYER_NAMES = {0: "src/util", 1: "src/lib", 2: "src/cli"}


def layer_of(path):
    for prefix, rank in LAYERS:
        if path.startswith(prefix):
            return rank
    return None


def source_of_objects(build):
    """Maps each object file (absolute) under build/src to its source file
    (relative to the source root), from compile_commands.json when there is
    one, else from meson's naming (DIR/TARGET.p/FILE.c.o -> DIR/FILE.c)."""
    objs = []
    for dirpath, _dirs, files in os.walk(os.path.join(build, "src")):
        for f in files:
            if f.endswith(".o"):
                objs.append(os.path.abspath(os.path.join(dirpath, f)))
    mapping = {}
    cc = os.path.join(build, "compile_commands.json")
    if os.path.exists(cc):
        with open(cc, encoding="utf-8") as fh:
            for entry in json.load(fh):
                out = entry.get("output")
                src = entry.get("file")
                if not out or not src:
                    continue
                d = entry.get("directory", build)
                out = os.path.abspath(os.path.join(d, out))
                src = os.path.normpath(os.path.join(d, src))
                mapping[out] = src
    result = {}
    for o in objs:
        src = mapping.get(o)
        if src is not None:
            result[o] = src
            continue
        if mapping:
            continue  # left over from a file renamed or removed: not built
        rel = os.path.relpath(o, build)
        parts = rel.split(os.sep)
        parts = [p for p in parts if not p.endswith(".p")]
        name = parts[-1][:-2]  # drop ".o"
        result[o] = os.path.join(*parts[:-1], name)
    return result


def relative_source(src, build):
    """The source path relative to the source root (the folder holding src/)."""
    src = src.replace(os.sep, "/")
    i = src.rfind("/src/")
    if i >= 0:
        return src[i + 1:]
    if src.startswith("src/"):
        return src
    return os.path.relpath(src, os.path.dirname(os.path.abspath(build)))


def read_symbols(objs):
    """{object: (defined, undefined)} global symbols of the object files,
    from one run of nm."""
    try:
        out = subprocess.run(["nm", "-P", "-A"] + objs, check=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        sys.stderr.write("depgraph: nm: %s\n" % e)
        sys.exit(2)
    result = {o: (set(), set()) for o in objs}
    for line in out.splitlines():
        obj, sep, rest = line.partition(": ")
        fields = rest.split()
        if not sep or obj not in result or len(fields) < 2:
            continue
        name, kind = fields[0], fields[1]
        if kind == "U":
            result[obj][1].add(name)
        elif kind in "TDBRCVWGS" and kind.isupper():
            result[obj][0].add(name)
    return result


def build_graph(build):
    objs = source_of_objects(build)
    if not objs:
        sys.stderr.write("depgraph: no object files under %s/src; build first (ninja -C %s)\n"
                         % (build, build))
        sys.exit(2)
    defs = {}      # file -> defined symbols
    undefs = {}    # file -> undefined symbols
    files = {}
    for obj, src in sorted(objs.items()):
        f = relative_source(src, build)
        if f.startswith("src/"):
            files[obj] = f
    symbols = read_symbols(sorted(files))
    for obj, f in sorted(files.items()):
        d, u = symbols[obj]
        defs.setdefault(f, set()).update(d)
        undefs.setdefault(f, set()).update(u)
    owner = {}
    for f, syms in defs.items():
        for s in syms:
            # a symbol defined twice (two programs) is owned by both; keep
            # the first in path order, which is stable
            owner.setdefault(s, f)
    graph = {f: {} for f in defs}
    for f, syms in undefs.items():
        for s in syms:
            g = owner.get(s)
            if g is None or g == f:
                continue
            graph[f].setdefault(g, set()).add(s)
    return graph


def sccs(graph):
    """Tarjan's strongly connected components, iteratively."""
    index, low, on_stack, stack, out = {}, {}, set(), [], []
    counter = [0]
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph.get(w, ())))))
                    advanced = True
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                out.append(sorted(comp))
    return out


def violations(graph):
    out = []
    for f in sorted(graph):
        lf = layer_of(f)
        if lf is None:
            continue
        for g in sorted(graph[f]):
            lg = layer_of(g)
            if lg is not None and lg > lf:
                out.append((f, g, sorted(graph[f][g])))
    return out


def main(argv):
    build = "build"
    quiet = check = False
    for a in argv[1:]:
        if a == "--quiet":
            quiet = True
        elif a == "--check":
            check = True
        elif a in ("-h", "--help"):
            print(__doc__.strip())
            return 0
        elif a.startswith("-"):
            sys.stderr.write("depgraph: unknown option %s; see --help\n" % a)
            return 2
        else:
            build = a
    graph = build_graph(build)

    if not quiet:
        print("# dependency graph: file -> files whose symbols it uses")
        for f in sorted(graph):
            deps = sorted(graph[f])
            print("%s -> %s" % (f, " ".join(deps) if deps else "(none)"))
        print()

    print("# files: %d" % len(graph))
    cycles = [c for c in sccs(graph) if len(c) > 1]
    cycles.sort()
    print("# cycles: %d" % len(cycles))
    for c in cycles:
        members = set(c)
        print("cycle (%d files): %s" % (len(c), " ".join(c)))
        for f in c:
            for g in sorted(graph[f]):
                if g in members:
                    syms = sorted(graph[f][g])
                    more = " ..." if len(syms) > 4 else ""
                    print("  %s -> %s (%s%s)" % (f, g, " ".join(syms[:4]), more))

    bad = violations(graph)
    print("# layer violations: %d" % len(bad))
    for f, g, syms in bad:
        lf, lg = LAYER_NAMES[layer_of(f)], LAYER_NAMES[layer_of(g)]
        more = " ..." if len(syms) > 4 else ""
        print("%s uses %s (%s%s): %s must not use %s"
              % (f, g, " ".join(syms[:4]), more, lf, lg))

    if check and (cycles or bad):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
