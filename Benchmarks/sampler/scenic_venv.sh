# Sourced by the sampler benchmarks: Scenic 3 from PyPI in a private venv
# (Benchmarks/.venv-scenic, not committed); sets $venv and $scenic_version.
venv=Benchmarks/.venv-scenic
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import scenic" 2>/dev/null; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet scenic >&2
fi
scenic_version="$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("scenic"))')"
