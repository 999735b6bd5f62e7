// Runs the training library itself (Python XGBoost) for the cross-check test and the
// benchmark. Serving never calls this.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { defaultModelDir } from './served-model.ts';

export const mlDir = path.dirname(defaultModelDir);

/**
 * Returns the first Python that can import xgboost: $PYTHON, then Debian's /usr/bin/python3
 * (where apt-get installs python3-xgboost), then python3 on the PATH. Null when none can.
 */
export function findXgboostPython(): string | null {
  const candidates = [process.env.PYTHON, '/usr/bin/python3', 'python3'].filter(
    (candidate): candidate is string => Boolean(candidate),
  );
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ['-c', 'import xgboost'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
  }

  return null;
}

/** Runs a script from ml/ with JSON on stdin and returns its stdout parsed as JSON. */
export function runPythonScript<T>(python: string, script: string, input: unknown): T {
  const result = spawnSync(python, [path.join(mlDir, script)], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    cwd: mlDir,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`${python} ml/${script} exited with ${result.status}: ${result.stderr}`);
  }

  return JSON.parse(result.stdout) as T;
}
