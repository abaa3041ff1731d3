# Sourced by scripts/serve and scripts/test: makes .venv hold recapql and its test tools.
# It reinstalls only when pyproject.toml or constraints.txt changed since the last install.
# constraints.txt pins every package to the versions last tested (scripts/lock rewrites it).
python=${PYTHON:-python3}
stamp=".venv/.installed-$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "scripts: installing recapql and its test tools into .venv" >&2
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --constraint constraints.txt --editable ".[test]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
