# Sourced by scripts/serve and scripts/test: makes .venv hold recapql and its test tools.
# It reinstalls only when pyproject.toml changed since the last install.
python=${PYTHON:-python3}
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "scripts: installing recapql and its test tools into .venv" >&2
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --editable ".[test]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
