# Sourced by the scripts: makes .venv hold recapql, and its test tools unless told to serve only.
#   venv_level=serve; source scripts/venv.sh   what serving needs: recapql and its dependencies (scripts/serve)
#   source scripts/venv.sh                     those and the test tools, the `test` extra (scripts/test and the rest)
# Both levels install from constraints.txt, which pins every package to the versions last tested
# (scripts/lock rewrites it); pip's --constraint pins whichever of them a level installs.
# A stamp per level records the last install: pip runs only when pyproject.toml or
# constraints.txt changed since, or for a level not installed yet (`test` covers `serve`).
venv_python=${PYTHON:-python3}
venv_level=${venv_level:-test}
case "$venv_level" in
  serve) venv_target="." venv_what="recapql" ;;
  test) venv_target=".[test]" venv_what="recapql and its test tools" ;;
  *) echo "scripts/venv.sh: venv_level must be serve or test, not '$venv_level'" >&2; return 2 ;;
esac
venv_hash=$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)
venv_done=false
# `.installed-<hash>` is the stamp from before the two levels, when every install had the test tools.
if [ -f ".venv/.installed-test-$venv_hash" ] || [ -f ".venv/.installed-$venv_hash" ]; then
  venv_done=true
elif [ "$venv_level" = serve ] && [ -f ".venv/.installed-serve-$venv_hash" ]; then
  venv_done=true
fi
if ! $venv_done; then
  echo "scripts: installing $venv_what into .venv" >&2
  [ -x .venv/bin/python ] || "$venv_python" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --constraint constraints.txt \
    --editable "$venv_target"
  rm -f .venv/.installed-*
  touch ".venv/.installed-$venv_level-$venv_hash"
fi
unset venv_python venv_level venv_target venv_what venv_hash venv_done
